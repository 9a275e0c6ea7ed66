package dev.projectdashboard.starter.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.reactive.result.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Problem JSON for the framework exceptions of annotated controllers, built by the same {@link ProblemMapper};
 * it also replaces Boot's {@code ProblemDetailsExceptionHandler}. Other exceptions are left to propagate, so
 * Spring Security still sees access-denied errors and the {@link ProblemWebExceptionHandler} handles the rest.
 */
@ControllerAdvice
public class ProblemControllerAdvice extends ResponseEntityExceptionHandler {

    private final ProblemMapper mapper;

    public ProblemControllerAdvice(ProblemMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected Mono<ResponseEntity<Object>> handleExceptionInternal(
            Exception error, Object body, HttpHeaders headers, HttpStatusCode status, ServerWebExchange exchange) {
        ProblemResponse problem = mapper.resolve(error, exchange);
        HttpHeaders merged = new HttpHeaders();
        if (headers != null) {
            merged.addAll(headers);
        }
        problem.headers().forEach((name, values) -> merged.put(name, values));
        merged.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return Mono.just(ResponseEntity.status(problem.status()).headers(merged).body(problem.body()));
    }
}
