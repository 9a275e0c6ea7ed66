package dev.projectdashboard.launcher.suite;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where the backend services listen in a local run: on loopback, so nothing on the network reaches them past the
 * gateway (which listens on every interface, and local-stack's servers always on loopback). {@code
 * DASHBOARD_BIND_ADDRESS=0.0.0.0} (or {@code ::}) opens them to every interface.
 *
 * @param address an IP literal that is either a loopback or the wildcard address: the services call each other and
 *     are probed at {@code localhost}/{@code 127.0.0.1}, which one interface's own address would not answer
 */
public record BindAddress(String address) {

    // IP literals only: a host name would need a DNS lookup and could name any interface (declared before LOOPBACK,
    // whose construction uses it)
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public static final String ENV = "DASHBOARD_BIND_ADDRESS";
    public static final BindAddress LOOPBACK = new BindAddress("127.0.0.1");

    public BindAddress {
        InetAddress parsed = parse(address);
        if (parsed == null || !(parsed.isLoopbackAddress() || parsed.isAnyLocalAddress())) {
            throw new IllegalArgumentException(ENV + "='" + address + "' is not 127.0.0.1 (the default: the services"
                    + " answer this machine only) nor 0.0.0.0 or :: (every interface).");
        }
    }

    /** {@value #ENV}, or loopback when it is unset or blank. */
    public static BindAddress fromEnvironment(Map<String, String> env) {
        String value = env.get(ENV);
        return value == null || value.isBlank() ? LOOPBACK : new BindAddress(value.strip());
    }

    /** Whether the services are reachable from other machines. */
    public boolean isOpen() {
        InetAddress parsed = parse(address);
        return parsed != null && parsed.isAnyLocalAddress();
    }

    private static InetAddress parse(String address) {
        if (address == null || !IP_LITERAL.matcher(address).matches()) {
            return null;
        }
        try {
            // a literal is parsed, never looked up
            return InetAddress.getByName(address);
        } catch (UnknownHostException notAnAddress) {
            return null;
        }
    }
}
