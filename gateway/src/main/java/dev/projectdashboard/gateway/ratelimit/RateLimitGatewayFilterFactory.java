package dev.projectdashboard.gateway.ratelimit;

import dev.projectdashboard.gateway.filter.RouteFilterConfig;
import dev.projectdashboard.gateway.forwarded.ClientAddresses;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.ApiKeyAuthentication;
import dev.projectdashboard.starter.security.DashboardAuthentication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code RateLimit=<per-address limit>[, <per-user limit>]}: a token bucket per route and caller in Redis. A caller with
 * a user JWT is counted by its {@code sub} against the per-user limit; one with the API key by its address against the
 * per-user limit too; everyone else (and every caller when no per-user limit is named, as on the webhook ingest paths)
 * by the client address ({@link ClientAddresses}, honouring only trusted proxies) against the per-address limit.
 *
 * <p>Over the limit: a 429 problem with {@code Retry-After}. Spring Cloud Gateway's own {@code RequestRateLimiter}
 * answers a bare 429 without body or {@code Retry-After}, and keys one route one way only. When Redis does not answer
 * within {@code redis-timeout} the request passes unchecked ({@code gateway_rate_limit_unchecked_total}, one WARN per
 * outage): a rate limiter protects the services, and refusing every request because its own store is down would turn a
 * Redis outage into an outage of the whole suite.
 */
@Component
public class RateLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<RateLimitGatewayFilterFactory.Config> {

    /** Before the body limit and the circuit breaker: a flood is refused before anything else is spent on it. */
    public static final int ORDER = 100;

    static final String REJECTIONS = "gateway.rate.limit.rejections";
    private static final String USER = "user";
    private static final String SERVICE = "service";
    private static final String ADDRESS = "address";
    static final String UNCHECKED = "gateway.rate.limit.unchecked";

    private static final Logger log = LoggerFactory.getLogger(RateLimitGatewayFilterFactory.class);

    private final TokenBuckets buckets;
    private final RateLimitProperties properties;
    private final ClientAddresses addresses;
    private final MeterRegistry meters;
    private final AtomicBoolean storeAnswering = new AtomicBoolean(true);

    RateLimitGatewayFilterFactory(
            TokenBuckets buckets, RateLimitProperties properties, ClientAddresses addresses, MeterRegistry meters) {
        super(Config.class);
        this.buckets = buckets;
        this.properties = properties;
        this.addresses = addresses;
        this.meters = meters;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("address", "user");
    }

    @Override
    public GatewayFilter apply(Config config) {
        // fails the route (and start-up's route check) when a name is not configured
        properties.limit(config.getAddress());
        if (config.getUser() != null) {
            properties.limit(config.getUser());
        }
        String route = config.routeOrNone();
        // registered with the route, so that every series is scraped (as 0) before the first refusal
        Map<String, Counter> rejections = new HashMap<>();
        rejections.put(ADDRESS, rejections(route, config.getAddress(), ADDRESS));
        if (config.getUser() != null) {
            rejections.put(USER, rejections(route, config.getUser(), USER));
            rejections.put(SERVICE, rejections(route, config.getUser(), SERVICE));
        }
        Counter unchecked = Counter.builder(UNCHECKED)
                .description("Requests let through without a rate-limit check because Redis did not answer")
                .tag("route", route)
                .register(meters);
        return new OrderedGatewayFilter(
                (exchange, chain) -> {
                    if (!properties.enabled()) {
                        return chain.filter(exchange);
                    }
                    return exchange.getPrincipal()
                            .map(Optional::of)
                            .defaultIfEmpty(Optional.empty())
                            .flatMap(principal -> {
                                Caller caller = caller(principal, exchange, config);
                                return check(route, caller, rejections.get(caller.kind()), unchecked);
                            })
                            .then(chain.filter(exchange));
                },
                ORDER);
    }

    private Counter rejections(String route, String limit, String key) {
        return Counter.builder(REJECTIONS)
                .description("Requests refused with 429 by the gateway's rate limits")
                .tag("route", route)
                .tag("limit", limit)
                .tag("key", key)
                .register(meters);
    }

    private Caller caller(Optional<Principal> principal, ServerWebExchange exchange, Config config) {
        String address = addresses.clientAddress(exchange.getRequest());
        if (config.getUser() != null && principal.isPresent()) {
            if (principal.get() instanceof DashboardAuthentication user) {
                return new Caller(USER, user.getName(), config.getUser());
            }
            if (principal.get() instanceof ApiKeyAuthentication) {
                return new Caller(SERVICE, address, config.getUser());
            }
        }
        return new Caller(ADDRESS, address, config.getAddress());
    }

    private Mono<Void> check(String route, Caller caller, Counter rejected, Counter unchecked) {
        RateLimitProperties.Limit limit = properties.limit(caller.limit());
        return buckets.take(route + ":" + caller.kind() + ":" + caller.key(), limit)
                .timeout(properties.redisTimeout())
                .doOnNext(decision -> storeAnswers())
                .map(Optional::of)
                .onErrorResume(error -> {
                    unchecked.increment();
                    storeFails(error);
                    return Mono.just(Optional.empty());
                })
                .flatMap(decision -> {
                    if (decision.isEmpty() || decision.get().allowed()) {
                        return Mono.<Void>empty();
                    }
                    rejected.increment();
                    long seconds = decision.get().retryAfter().toSeconds();
                    ProblemException tooMany = new ProblemException(
                            HttpStatus.TOO_MANY_REQUESTS,
                            "Too many requests; try again in " + seconds + (seconds == 1 ? " second." : " seconds."));
                    tooMany.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
                    return Mono.error(tooMany);
                });
    }

    private void storeAnswers() {
        if (storeAnswering.compareAndSet(false, true)) {
            log.info("Redis answers again: the rate limits are enforced again");
        }
    }

    private void storeFails(Throwable error) {
        if (storeAnswering.compareAndSet(true, false)) {
            log.warn(
                    "Redis does not answer the rate limiter ({}); requests pass unchecked until it does",
                    error.toString());
        }
    }

    /** Who is counted: {@code kind} is {@code user}, {@code service} or {@code address}. */
    private record Caller(String kind, String key, String limit) {}

    /** The limits a route uses, by name ({@code dashboard.gateway.rate-limit.limits.<name>}). */
    public static class Config extends RouteFilterConfig {

        private String address;
        private String user;

        /** Limit for callers counted by their address (anonymous callers, or everyone without a per-user limit). */
        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        /** Limit for signed-in callers, counted by their user id; none: everyone is counted by address. */
        public String getUser() {
            return user;
        }

        public void setUser(String user) {
            this.user = user;
        }
    }
}
