package dev.projectdashboard.pushservice.ssrf;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks the form of a webhook URL when it is registered, and finds an IP address written in it.
 *
 * <p>Where the URL may lead is the caller's second step: an IP literal host ({@link #literal}) goes to
 * {@link AddressPolicy#refusal} at once; a host name must be checked the same way for every address it resolves to,
 * at delivery time, on the addresses the connection then uses (a name can resolve elsewhere later).
 */
public final class WebhookUrl {

    /** The longest URL accepted, in characters. */
    public static final int MAX_LENGTH = 2048;

    private static final Pattern HOST_LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");

    private WebhookUrl() {}

    /**
     * The URL, if it is one the service will call: {@code http} or {@code https}, a host, no user name or password
     * (credentials belong in the webhook's auth settings, not in logs), no fragment, at most {@value #MAX_LENGTH}
     * characters, a port from 1 to 65535 if any. The host is a DNS name, an IPv6 literal in brackets, or an IPv4
     * address as four decimal numbers: other numeric forms ({@code 2130706433}, {@code 0x7f.1}, {@code 010.0.0.1})
     * are refused because resolvers read them differently ({@code inet_aton} reads {@code 010} as octal 8, the JDK as
     * decimal 10), so the address checked could differ from the address called.
     *
     * @throws WebhookUrlException saying what is wrong
     */
    public static URI check(String url) {
        if (url == null || url.isBlank()) {
            throw new WebhookUrlException("the webhook URL is empty");
        }
        if (url.length() > MAX_LENGTH) {
            throw new WebhookUrlException("the webhook URL is longer than " + MAX_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new WebhookUrlException(
                    "the webhook URL is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new WebhookUrlException("the webhook URL must start with http:// or https://");
        }
        String authority = uri.getRawAuthority();
        if (uri.isOpaque() || authority == null || authority.isEmpty()) {
            throw new WebhookUrlException("the webhook URL has no host");
        }
        if (authority.contains("@")) {
            throw new WebhookUrlException("the webhook URL must not contain a user name or password; use the webhook's"
                    + " authentication settings");
        }
        if (uri.getRawFragment() != null) {
            throw new WebhookUrlException("the webhook URL must not have a fragment (#…): it is never sent");
        }
        HostAndPort parts = HostAndPort.of(authority);
        checkPort(parts.port());
        checkHost(parts.host());
        if (uri.getHost() == null) {
            // every host checkHost lets through is one the JDK parses; this guards that promise
            throw new WebhookUrlException("the webhook URL's host '" + parts.host() + "' is not a valid host name");
        }
        return uri;
    }

    /**
     * The IP address a URL's host is written as, or empty for a host name. Any purely numeric or hex host is read as
     * {@code inet_aton} reads it, so {@code http://2130706433/}, {@code http://0x7f.1/} and {@code http://127.1/} are
     * 127.0.0.1; {@code http://[::ffff:127.0.0.1]/} is 127.0.0.1 too (the JDK connects to an IPv4-mapped address over
     * IPv4). A zone id ({@code [fe80::1%25eth0]}) is dropped. Never asks DNS.
     *
     * @throws WebhookUrlException when the host is numeric or bracketed but no IP address
     */
    public static Optional<InetAddress> literal(URI url) {
        if (url.getHost() == null && url.getRawAuthority() == null) {
            return Optional.empty();
        }
        String host = url.getHost() != null
                ? url.getHost()
                : HostAndPort.of(url.getRawAuthority()).host();
        if (host.startsWith("[")) {
            String inside = host.endsWith("]") ? host.substring(1, host.length() - 1) : "";
            return Optional.of(IpLiterals.ipv6(inside.replace("%25", "%"))
                    .orElseThrow(
                            () -> new WebhookUrlException("'" + url.getRawAuthority() + "' is not an IPv6 address")));
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (name.isEmpty() || !IpLiterals.allLabelsNumeric(name)) {
            return Optional.empty();
        }
        return Optional.of(IpLiterals.inetAton(name)
                .orElseThrow(
                        () -> new WebhookUrlException("'" + host + "' looks like an IPv4 address but is not one")));
    }

    private static void checkPort(String port) {
        if (port == null || port.isEmpty()) {
            return;
        }
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw new WebhookUrlException(
                    "the webhook URL's port must be a number from 1 to 65535, not '" + port + "'");
        }
    }

    private static void checkHost(String host) {
        if (host.isEmpty()) {
            throw new WebhookUrlException("the webhook URL has no host");
        }
        if (host.startsWith("[")) {
            if (host.contains("%")) {
                throw new WebhookUrlException(
                        "the webhook URL's host must not have a zone id: it names an interface of this machine");
            }
            if (!host.endsWith("]")
                    || IpLiterals.ipv6(host.substring(1, host.length() - 1)).isEmpty()) {
                throw new WebhookUrlException("the webhook URL's host '" + host + "' is not an IPv6 address");
            }
            return;
        }
        if (!host.chars().allMatch(c -> c < 0x80)) {
            throw new WebhookUrlException("the webhook URL's host must be ASCII: write an internationalised domain name"
                    + " in its xn-- form");
        }
        String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        if (!name.isEmpty() && IpLiterals.endsInNumber(name)) {
            if (host.equals(name) && IpLiterals.dottedQuad(name).isPresent()) {
                return;
            }
            throw new WebhookUrlException("the webhook URL's host '" + host + "' is not an IPv4 address as four decimal"
                    + " numbers (e.g. 203.0.113.7): other forms are read differently by different resolvers");
        }
        if (host.length() > 253 || !host.equals(name) || !allLabelsValid(name)) {
            throw new WebhookUrlException("the webhook URL's host '" + host + "' is not a valid host name");
        }
    }

    private static boolean allLabelsValid(String name) {
        for (String label : name.split("\\.", -1)) {
            if (!HOST_LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    /** The host and port of a URL's authority (without user info), as written; the port is null when absent. */
    private record HostAndPort(String host, String port) {

        static HostAndPort of(String authority) {
            String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
            if (hostPort.startsWith("[")) {
                int close = hostPort.indexOf(']');
                if (close < 0) {
                    return new HostAndPort(hostPort, null);
                }
                String rest = hostPort.substring(close + 1);
                return new HostAndPort(
                        hostPort.substring(0, close + 1), rest.startsWith(":") ? rest.substring(1) : null);
            }
            int colon = hostPort.lastIndexOf(':');
            return colon < 0
                    ? new HostAndPort(hostPort, null)
                    : new HostAndPort(hostPort.substring(0, colon), hostPort.substring(colon + 1));
        }
    }
}
