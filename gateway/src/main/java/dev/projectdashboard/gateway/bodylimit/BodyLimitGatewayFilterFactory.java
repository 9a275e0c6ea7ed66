package dev.projectdashboard.gateway.bodylimit;

import dev.projectdashboard.gateway.filter.RouteFilterConfig;
import dev.projectdashboard.starter.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.factory.AbstractGatewayFilterFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code BodyLimit=<name>}: refuses a request body larger than the named limit with a 413 problem. A declared
 * {@code Content-Length} over the limit is refused before the service is asked; a body without one (chunked) is counted
 * as it streams through and cut off at the first byte over the limit: the service sees its request aborted, the client
 * gets the 413. Spring Cloud Gateway's {@code RequestSize} filter reads only the header, so a chunked body would pass
 * it whatever its size. Nothing is buffered: the body streams on as it arrives, however large the limit.
 */
@Component
public class BodyLimitGatewayFilterFactory extends AbstractGatewayFilterFactory<BodyLimitGatewayFilterFactory.Config> {

    /** After the rate limit, before the circuit breaker (a body cut off here is no failure of the service). */
    public static final int ORDER = 200;

    static final String REJECTIONS = "gateway.request.size.rejections";

    private final BodyLimitProperties properties;
    private final MeterRegistry meters;

    BodyLimitGatewayFilterFactory(BodyLimitProperties properties, MeterRegistry meters) {
        super(Config.class);
        this.properties = properties;
        this.meters = meters;
    }

    @Override
    public List<String> shortcutFieldOrder() {
        return List.of("limit");
    }

    @Override
    public GatewayFilter apply(Config config) {
        DataSize limit = properties.limit(config.getLimit());
        long maximum = limit.toBytes();
        String route = config.routeOrNone();
        Counter declaredTooLarge = rejections(route, config.getLimit(), "content-length");
        Counter streamedTooLarge = rejections(route, config.getLimit(), "streamed");
        String detail = "The request body is larger than the " + readable(limit) + " this path accepts.";
        return new OrderedGatewayFilter(
                (exchange, chain) -> {
                    ServerHttpRequest request = exchange.getRequest();
                    long declared = request.getHeaders().getContentLength();
                    if (declared > maximum) {
                        declaredTooLarge.increment();
                        return Mono.error(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, detail));
                    }
                    ServerHttpRequest counted = new ServerHttpRequestDecorator(request) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            AtomicLong seen = new AtomicLong();
                            return super.getBody().map(buffer -> {
                                if (seen.addAndGet(buffer.readableByteCount()) > maximum) {
                                    DataBufferUtils.release(buffer);
                                    streamedTooLarge.increment();
                                    throw new BodyTooLarge(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, detail));
                                }
                                return buffer;
                            });
                        }
                    };
                    return chain.filter(exchange.mutate().request(counted).build())
                            .onErrorMap(BodyLimitGatewayFilterFactory::isCutOff, BodyLimitGatewayFilterFactory::cause);
                },
                ORDER);
    }

    // registered with the route, so that every series is scraped (as 0) before the first refusal
    private Counter rejections(String route, String limit, String check) {
        return Counter.builder(REJECTIONS)
                .description("Requests refused with 413 because their body was larger than the route's limit")
                .tag("route", route)
                .tag("limit", limit)
                .tag("check", check)
                .register(meters);
    }

    /** The cut-off, however the routing filter wrapped it on its way back. */
    private static boolean isCutOff(Throwable error) {
        return cause(error) != error;
    }

    private static Throwable cause(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            if (current instanceof BodyTooLarge cutOff) {
                return cutOff.problem;
            }
        }
        return error;
    }

    static String readable(DataSize size) {
        long bytes = size.toBytes();
        if (bytes >= DataSize.ofGigabytes(1).toBytes()
                && bytes % DataSize.ofGigabytes(1).toBytes() == 0) {
            return size.toGigabytes() + " GB";
        }
        if (bytes >= DataSize.ofMegabytes(1).toBytes()
                && bytes % DataSize.ofMegabytes(1).toBytes() == 0) {
            return size.toMegabytes() + " MB";
        }
        if (bytes >= DataSize.ofKilobytes(1).toBytes()
                && bytes % DataSize.ofKilobytes(1).toBytes() == 0) {
            return size.toKilobytes() + " KB";
        }
        return bytes + " bytes";
    }

    /** Carries the 413 through Reactor Netty's send, which may wrap what the body's publisher signalled. */
    private static final class BodyTooLarge extends RuntimeException {

        private final transient ProblemException problem;

        BodyTooLarge(ProblemException problem) {
            super(problem.getMessage(), null, false, false);
            this.problem = problem;
        }
    }

    /** The limit a route uses, by name ({@code dashboard.gateway.body-limit.limits.<name>}). */
    public static class Config extends RouteFilterConfig {

        private String limit;

        /** Name of the limit. */
        public String getLimit() {
            return limit;
        }

        public void setLimit(String limit) {
            this.limit = limit;
        }
    }
}
