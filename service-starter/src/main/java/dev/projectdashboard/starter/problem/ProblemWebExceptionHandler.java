package dev.projectdashboard.starter.problem;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;
import reactor.core.publisher.Mono;

/**
 * Problem JSON for everything that escapes a handler or filter: functional endpoints, unknown routes,
 * errors in filters. Ordered before Boot's {@code ErrorWebExceptionHandler} (-1), which then never sees an
 * error.
 */
public class ProblemWebExceptionHandler implements WebExceptionHandler, Ordered {

    /** Just ahead of Boot's default error handler. */
    public static final int ORDER = -2;

    private final ProblemMapper mapper;
    private final ProblemResponseWriter writer;

    public ProblemWebExceptionHandler(ProblemMapper mapper, ProblemResponseWriter writer) {
        this.mapper = mapper;
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, Throwable error) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.error(error);
        }
        return writer.write(exchange, mapper.resolve(error, exchange));
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
