package dev.projectdashboard.realtimeservice.policy;

import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.starter.environment.DashboardEnvironmentPostProcessor;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;

/**
 * Admits connections without a token as public readers when {@code dashboard.realtime.public.projects} lists
 * projects (the Socket.IO frontend of the deployment dashboard (docs/contracts.md) sends no credentials). Each is named after its client's address,
 * {@code anonymous@<address>}, which is also what the per-address connection limit counts.
 */
@Component
public class PublicAccess {

    private static final Logger log = LoggerFactory.getLogger(PublicAccess.class);

    // what an address in X-Forwarded-For looks like (IPv4, IPv6, bracketed IPv6); anything else is not trusted
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f.:\\[\\]]{1,64}");

    private final PublicAccessProperties properties;

    public PublicAccess(PublicAccessProperties properties, Environment environment) {
        this.properties = properties;
        if (properties.enabled()
                && environment.acceptsProfiles(Profiles.of(DashboardEnvironmentPostProcessor.PROD_PROFILE))) {
            log.warn(
                    "dashboard.realtime.public.projects is set under the prod profile: connections without a token may"
                            + " read the project: and deployment: channels of {} (read-only; at most"
                            + " dashboard.realtime.hub.max-connections-per-address per client address)",
                    properties.projects());
        }
    }

    /** Whether connections without a token are admitted. */
    public boolean enabled() {
        return properties.enabled();
    }

    /** The public reader of a request without a token. */
    public Reader reader(ServerHttpRequest request) {
        return new Reader(
                new DashboardPrincipal("anonymous@" + clientAddress(request), Set.of(), Set.of(), Set.of()), true);
    }

    /**
     * The client's address: the last entry of the configured header (what the nearest proxy saw), or the connection's
     * peer when there is no such header or it does not hold an address.
     */
    String clientAddress(ServerHttpRequest request) {
        String header = properties.clientAddressHeader();
        if (!header.isEmpty()) {
            String value = request.getHeaders().getFirst(header);
            if (value != null) {
                String last = value.substring(value.lastIndexOf(',') + 1).trim();
                if (ADDRESS.matcher(last).matches()) {
                    return last;
                }
            }
        }
        InetSocketAddress peer = request.getRemoteAddress();
        if (peer == null) {
            return "unknown";
        }
        return peer.getAddress() == null
                ? peer.getHostString()
                : peer.getAddress().getHostAddress();
    }
}
