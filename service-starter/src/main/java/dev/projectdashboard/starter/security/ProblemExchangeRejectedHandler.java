package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.problem.ProblemResponse;
import dev.projectdashboard.starter.problem.ProblemResponseWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 400 as problem JSON for a request Spring Security's firewall refuses before anything else runs (an encoded NUL,
 * slash or {@code ..} in the path, {@code //}, a forbidden header value); its default answer is an empty 400.
 */
public class ProblemExchangeRejectedHandler implements ServerExchangeRejectedHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemExchangeRejectedHandler.class);

    private final ProblemResponseWriter writer;

    public ProblemExchangeRejectedHandler(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
        // the firewall's message may quote what it found; it goes to the debug log, not to the client
        log.debug("refused {}: {}", exchange.getRequest().getMethod(), rejected.getMessage());
        ProblemDetail body = ProblemDetail.forStatusAndDetail(
                HttpStatus.BAD_REQUEST,
                "The request is not allowed: its path may not hold encoded slashes, NUL, '..' or '//', and its headers"
                        + " no control characters.");
        return writer.write(exchange, new ProblemResponse(body, new HttpHeaders()));
    }
}
