package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.problem.ProblemResponse;
import dev.projectdashboard.starter.problem.ProblemResponseWriter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.server.authorization.ServerAccessDeniedHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** 403 as problem JSON: the caller is known but may not do this. */
public class ProblemAccessDeniedHandler implements ServerAccessDeniedHandler {

    private final ProblemResponseWriter writer;

    public ProblemAccessDeniedHandler(ProblemResponseWriter writer) {
        this.writer = writer;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, AccessDeniedException denied) {
        ProblemDetail body =
                ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, "You may not perform this request.");
        return writer.write(exchange, new ProblemResponse(body, new HttpHeaders()));
    }
}
