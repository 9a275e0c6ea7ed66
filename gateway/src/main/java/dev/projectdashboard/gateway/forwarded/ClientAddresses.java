package dev.projectdashboard.gateway.forwarded;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.cloud.gateway.config.GatewayProperties;
import org.springframework.cloud.gateway.filter.headers.TrustedProxies;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Who a request comes from, read the way {@code GATEWAY_TRUSTED_PROXIES} allows: the peer's address, or, when the peer
 * is a trusted proxy, what the trusted proxies in front of the gateway say about the client. A client that talks to the
 * gateway directly cannot choose its address, scheme or host by sending {@code X-Forwarded-*} headers itself.
 */
@Component
public class ClientAddresses {

    /** Reported when a request has no peer address (never on a real connection). */
    public static final String UNKNOWN = "unknown";

    static final String FORWARDED_FOR = "X-Forwarded-For";
    static final String FORWARDED_PROTO = "X-Forwarded-Proto";
    static final String FORWARDED_HOST = "X-Forwarded-Host";

    // an IPv4 or IPv6 literal's characters; anything else in X-Forwarded-For ("unknown", a name) ends the walk
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private final TrustedProxies trusted;

    @Autowired
    public ClientAddresses(GatewayProperties gateway) {
        this(gateway.getTrustedProxies());
    }

    ClientAddresses(String trustedProxies) {
        this.trusted = StringUtils.hasText(trustedProxies) ? TrustedProxies.from(trustedProxies) : host -> false;
    }

    /**
     * The client's address: the peer's when it is not a trusted proxy; else the right-most {@code X-Forwarded-For}
     * entry that is not a trusted proxy itself, i.e. the address the outermost trusted proxy saw. Entries left of it
     * were written by the client and are ignored.
     */
    public String clientAddress(ServerHttpRequest request) {
        String address = peer(request);
        if (address == null) {
            return UNKNOWN;
        }
        if (!trusted.isTrusted(address)) {
            return address;
        }
        List<String> hops = values(request.getHeaders(), FORWARDED_FOR);
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!ADDRESS.matcher(hop).matches()) {
                return address;
            }
            address = hop;
            if (!trusted.isTrusted(hop)) {
                return hop;
            }
        }
        return address;
    }

    /**
     * The origin ({@code scheme://host[:port]}, lower case, default port left out) the client used to reach the
     * gateway: from {@code X-Forwarded-Proto} and {@code X-Forwarded-Host} when the peer is a trusted proxy (a proxy
     * terminating TLS in front of the gateway), else from the request itself.
     */
    public String requestOrigin(ServerHttpRequest request) {
        URI uri = request.getURI();
        String scheme = uri.getScheme();
        String host = request.getHeaders().getFirst(HttpHeaders.HOST);
        String peer = peer(request);
        if (peer != null && trusted.isTrusted(peer)) {
            scheme = first(request.getHeaders(), FORWARDED_PROTO, scheme);
            host = first(request.getHeaders(), FORWARDED_HOST, host);
        }
        if (host == null) {
            host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        }
        return origin(scheme, host);
    }

    /** {@code scheme://host[:port]} in lower case without the scheme's default port, for comparing origins. */
    public static String origin(String scheme, String hostAndPort) {
        String lowerScheme = scheme == null ? "http" : scheme.toLowerCase(Locale.ROOT);
        String lowerHost = hostAndPort.toLowerCase(Locale.ROOT);
        String defaultPort = lowerScheme.equals("https") || lowerScheme.equals("wss") ? ":443" : ":80";
        if (lowerHost.endsWith(defaultPort)) {
            lowerHost = lowerHost.substring(0, lowerHost.length() - defaultPort.length());
        }
        return lowerScheme + "://" + lowerHost;
    }

    private static String peer(ServerHttpRequest request) {
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return null;
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    private static String first(HttpHeaders headers, String name, String fallback) {
        List<String> values = values(headers, name);
        return values.isEmpty() ? fallback : values.get(0);
    }

    /** Every comma-separated value of every line of the header, trimmed, in order. */
    private static List<String> values(HttpHeaders headers, String name) {
        List<String> values = new ArrayList<>();
        for (String line : headers.getOrEmpty(name)) {
            for (String value : line.split(",")) {
                String trimmed = value.trim();
                if (!trimmed.isEmpty()) {
                    values.add(trimmed);
                }
            }
        }
        return values;
    }
}
