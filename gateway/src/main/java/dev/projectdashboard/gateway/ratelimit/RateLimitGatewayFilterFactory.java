package dev.projectdashboard.gateway.ratelimit;

import dev.projectdashboard.gateway.forwarded.ClientAddresses;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.ApiKeyAuthentication;
import dev.projectdashboard.starter.security.DashboardAuthentication;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.Principal;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.cloud.gateway.support.ServerWebExchangeUtils;
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
        return new OrderedGatewayFilter(
                (exchange, chain) -> {
                    if (!properties.enabled()) {
                        return chain.filter(exchange);
                    }
                    return exchange.getPrincipal()
                            .map(Optional::of)
                            .defaultIfEmpty(Optional.empty())
                            .flatMap(principal -> check(exchange, caller(principal, exchange, config)))
                            .then(chain.filter(exchange));
                },
                ORDER);
    }

    private Caller caller(Optional<Principal> principal, ServerWebExchange exchange, Config config) {
        String address = addresses.clientAddress(exchange.getRequest());
        if (config.getUser() != null && principal.isPresent()) {
            if (principal.get() instanceof DashboardAuthentication user) {
                return new Caller("user", user.getName(), config.getUser());
            }
            if (principal.get() instanceof ApiKeyAuthentication) {
                return new Caller("service", address, config.getUser());
            }
        }
        return new Caller("address", address, config.getAddress());
    }

    private Mono<Void> check(ServerWebExchange exchange, Caller caller) {
        String route = routeId(exchange);
        RateLimitProperties.Limit limit = properties.limit(caller.limit());
        return buckets.take(route + ":" + caller.kind() + ":" + caller.key(), limit)
                .timeout(properties.redisTimeout())
                .doOnNext(decision -> storeAnswers())
                .map(Optional::of)
                .onErrorResume(error -> {
                    storeFails(route, error);
                    return Mono.just(Optional.empty());
                })
                .flatMap(decision -> {
                    if (decision.isEmpty() || decision.get().allowed()) {
                        return Mono.<Void>empty();
                    }
                    Counter.builder(REJECTIONS)
                            .description("Requests refused with 429 by the gateway's rate limits")
                            .tag("route", route)
                            .tag("limit", caller.limit())
                            .tag("key", caller.kind())
                            .register(meters)
                            .increment();
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

    private void storeFails(String route, Throwable error) {
        Counter.builder(UNCHECKED)
                .description("Requests let through without a rate-limit check because Redis did not answer")
                .tag("route", route)
                .register(meters)
                .increment();
        if (storeAnswering.compareAndSet(true, false)) {
            log.warn(
                    "Redis does not answer the rate limiter ({}); requests pass unchecked until it does",
                    error.toString());
        }
    }

    private static String routeId(ServerWebExchange exchange) {
        Route route = exchange.getAttribute(ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR);
        return route == null ? "none" : route.getId();
    }

    /** Who is counted: {@code kind} is {@code user}, {@code service} or {@code address}. */
    private record Caller(String kind, String key, String limit) {}

    /** The limits a route uses, by name ({@code dashboard.gateway.rate-limit.limits.<name>}). */
    public static class Config {

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
