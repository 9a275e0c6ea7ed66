package dev.projectdashboard.gateway.upstream;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import java.util.List;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;

/**
 * {@code Upstream=<service>}: the service's circuit breaker around the call, and a problem naming the service when it
 * cannot be reached (503, with {@code Retry-After}), closes the connection without answering (502) or does not answer
 * in time (504), instead of a 500.
 *
 * <p>The breaker judges the time to the service's response headers: this filter runs inside Spring Cloud Gateway's
 * response writer, so a long download is not a slow call. A WebSocket upgrade only asks the breaker whether the service
 * is up (an open breaker is a 503 before the upgrade) and is not wrapped: the client is upgraded before the gateway
 * connects upstream, and the session's lifetime says nothing about the service's health.
 */
@Component
public class UpstreamGatewayFilterFactory extends AbstractGatewayFilterFactory<UpstreamGatewayFilterFactory.Config> {

    /** Innermost of the gateway's own filters: only the routing itself is judged. */
    public static final int ORDER = 300;

    private final CircuitBreakerRegistry breakers;
    private final CircuitBreakerProperties properties;

    UpstreamGatewayFilterFactory(CircuitBreakerRegistry breakers, CircuitBreakerProperties properties) {
        super(Config.class);
        this.breakers = breakers;
        this.properties = properties;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("service");
    }

    @Override
    public GatewayFilter apply(Config config) {
        String service = config.getService();
        if (service == null || breakers.find(service).isEmpty()) {
            throw new IllegalArgumentException("Upstream names service '" + service
                    + "', which is not one of dashboard.upstreams: " + UpstreamBreakers.names(breakers));
        }
        CircuitBreaker breaker = breakers.circuitBreaker(service);
        return new OrderedGatewayFilter(
                (exchange, chain) -> {
                    if (isWebSocketUpgrade(exchange.getRequest())) {
                        if (!breaker.tryAcquirePermission()) {
                            return Mono.error(UpstreamFailures.toProblem(
                                    service,
                                    CallNotPermittedException.createCallNotPermittedException(breaker),
                                    properties.waitInOpenState()));
                        }
                        breaker.releasePermission();
                        return chain.filter(exchange);
                    }
                    return chain.filter(exchange)
                            .onErrorMap(error -> clientGone(exchange), UpstreamFailures.ClientGone::new)
                            .transformDeferred(CircuitBreakerOperator.of(breaker))
                            .onErrorMap(
                                    error -> UpstreamFailures.toProblem(service, error, properties.waitInOpenState()));
                },
                ORDER);
    }

    /** Whether the client's own connection is closed: whatever failed then, the client caused it. */
    private static boolean clientGone(ServerWebExchange exchange) {
        return ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest()) instanceof Connection connection
                && !connection.channel().isActive();
    }

    /** As Spring Cloud Gateway's WebSocket routing decides it. */
    static boolean isWebSocketUpgrade(ServerHttpRequest request) {
        return "websocket".equalsIgnoreCase(request.getHeaders().getUpgrade());
    }

    /** The service a route goes to, one of {@code dashboard.upstreams}. */
    public static class Config {

        private String service;

        /** Name of the service, as in {@code dashboard.upstreams}. */
        public String getService() {
            return service;
        }

        public void setService(String service) {
            this.service = service;
        }
    }
}
