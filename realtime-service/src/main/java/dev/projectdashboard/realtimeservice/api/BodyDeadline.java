package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The server API's request bodies must arrive whole within {@code dashboard.realtime.api.body-timeout} of the request
 * reaching the API; a sender that stalls (or trickles a byte now and then) gets a 408 instead of holding a connection.
 * One deadline for the whole body, not a gap between chunks.
 */
@Component
class BodyDeadline implements WebFilter {

    private final Duration timeout;

    BodyDeadline(RealtimeApiProperties properties) {
        this.timeout = properties.bodyTimeout();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!exchange.getRequest().getPath().value().startsWith(RealtimeApiController.BASE + "/")) {
            return chain.filter(exchange);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody()
                        .timeout(Mono.defer(() -> untilDeadline(deadline)), chunk -> untilDeadline(deadline))
                        .onErrorMap(
                                TimeoutException.class,
                                e -> new ProblemException(
                                        HttpStatus.REQUEST_TIMEOUT,
                                        "The request body did not arrive within " + timeout.toMillis()
                                                + " ms; nothing was published."));
            }
        };
        return chain.filter(exchange.mutate().request(request).build());
    }

    private static Mono<Long> untilDeadline(long deadline) {
        return Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }
}
