package dev.projectdashboard.starter.problem;

import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.codec.HttpMessageWriter;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.result.view.ViewResolver;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * Writes a problem as {@code application/problem+json} straight to an exchange, with the application's
 * codecs; for code that runs outside a handler (exception handlers, security entry points).
 */
public class ProblemResponseWriter {

    private final ServerResponse.Context context;

    public ProblemResponseWriter(ServerCodecConfigurer codecs) {
        List<HttpMessageWriter<?>> writers = codecs.getWriters();
        this.context = new ServerResponse.Context() {
            @Override
            public List<HttpMessageWriter<?>> messageWriters() {
                return writers;
            }

            @Override
            public List<ViewResolver> viewResolvers() {
                return List.of();
            }
        };
    }

    /** Sends the problem; a response already committed cannot change any more and is left alone. */
    public Mono<Void> write(ServerWebExchange exchange, ProblemResponse problem) {
        if (exchange.getResponse().isCommitted()) {
            return Mono.empty();
        }
        if (problem.body().getType() == null) {
            problem.body().setType(ProblemMapper.ABOUT_BLANK);
        }
        if (problem.body().getInstance() == null) {
            problem.body().setInstance(ProblemMapper.instance(exchange));
        }
        // headers of a half-built response (e.g. a Content-Length for the success body) must not leak
        HttpHeaders responseHeaders = exchange.getResponse().getHeaders();
        responseHeaders.remove(HttpHeaders.CONTENT_TYPE);
        responseHeaders.remove(HttpHeaders.CONTENT_LENGTH);
        return ServerResponse.status(problem.status())
                .headers(headers -> headers.addAll(problem.headers()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .bodyValue(problem.body())
                .flatMap(response -> response.writeTo(exchange, context));
    }
}
