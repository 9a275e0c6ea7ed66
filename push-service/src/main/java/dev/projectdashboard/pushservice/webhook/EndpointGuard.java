package dev.projectdashboard.pushservice.webhook;

import dev.projectdashboard.pushservice.ssrf.AddressPolicy;
import dev.projectdashboard.pushservice.ssrf.WebhookUrl;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Decides where a webhook URL may be sent (docs/push-service.md, SSRF): http or https, and a host whose every
 * address the {@link AddressPolicy} allows. Checked at registration and again before each attempt; the attempt then
 * connects to the address that was checked, so a DNS answer that changes in between (rebinding) cannot redirect it.
 */
public final class EndpointGuard {

    /** Resolves a host name to its addresses; the JDK resolver blocks, so it runs on a worker thread. */
    @FunctionalInterface
    public interface HostResolver {

        List<InetAddress> resolve(String host) throws UnknownHostException;

        static HostResolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }

    /** Where to send: the URL as registered and the checked address to connect to. */
    public record Endpoint(URI uri, InetAddress address) {

        public int port() {
            if (uri.getPort() > 0) {
                return uri.getPort();
            }
            return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        }
    }

    /** A URL the guard refuses, with the reason (safe to show: it names the host, never a credential). */
    public static final class RefusedEndpoint extends RuntimeException {

        public RefusedEndpoint(String message) {
            super(message, null, false, false);
        }
    }

    private final AddressPolicy policy;
    private final HostResolver resolver;

    public EndpointGuard(AddressPolicy policy, HostResolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    /** The endpoint to connect to, or a {@link RefusedEndpoint} error. */
    public Mono<Endpoint> check(String url) {
        URI uri;
        try {
            uri = WebhookUrl.check(url);
        } catch (RuntimeException invalid) {
            return Mono.error(new RefusedEndpoint(invalid.getMessage()));
        }
        Optional<InetAddress> literal = WebhookUrl.literal(uri);
        if (literal.isPresent()) {
            return allowed(uri, List.of(literal.get()));
        }
        String host = uri.getHost();
        return Mono.fromCallable(() -> resolver.resolve(host))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(
                        UnknownHostException.class,
                        unknown -> new RefusedEndpoint("The host " + host + " does not resolve"))
                .flatMap(addresses -> allowed(uri, addresses));
    }

    private Mono<Endpoint> allowed(URI uri, List<InetAddress> addresses) {
        if (addresses.isEmpty()) {
            return Mono.error(new RefusedEndpoint("The host " + uri.getHost() + " does not resolve"));
        }
        // every address must be allowed: a name with one public and one private address is refused, whichever a
        // client would pick
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                return Mono.error(new RefusedEndpoint("The host " + uri.getHost() + " resolves to "
                        + address.getHostAddress() + ", which webhooks may not reach: " + refusal.get()));
            }
        }
        return Mono.just(new Endpoint(uri, addresses.get(0)));
    }
}
