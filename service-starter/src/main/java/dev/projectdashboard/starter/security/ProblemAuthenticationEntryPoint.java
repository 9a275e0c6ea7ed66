package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.problem.ProblemResponse;
import dev.projectdashboard.starter.problem.ProblemResponseWriter;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.BearerTokenError;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.util.StringUtils;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * 401 as problem JSON, with the {@code WWW-Authenticate} challenge a client needs: {@code Bearer} (with the
 * RFC 6750 error of a rejected token) for user APIs, {@code ApiKey} for server APIs.
 */
public class ProblemAuthenticationEntryPoint implements ServerAuthenticationEntryPoint {

    static final String API_KEY_CHALLENGE = "ApiKey header=\"" + ApiKeyVerifier.HEADER + "\"";

    private final ProblemResponseWriter writer;
    private final ServerWebExchangeMatcher apiKeyPaths;

    public ProblemAuthenticationEntryPoint(ProblemResponseWriter writer, ServerWebExchangeMatcher apiKeyPaths) {
        this.writer = writer;
        this.apiKeyPaths = apiKeyPaths;
    }

    @Override
    public Mono<Void> commence(ServerWebExchange exchange, AuthenticationException failure) {
        if (failure instanceof ApiKeyAuthenticationManager.InvalidApiKeyException) {
            return send(exchange, HttpStatus.UNAUTHORIZED, failure.getMessage(), API_KEY_CHALLENGE);
        }
        if (failure instanceof OAuth2AuthenticationException oauth2
                && oauth2.getError() instanceof BearerTokenError error) {
            String detail = StringUtils.hasText(error.getDescription())
                    ? error.getDescription()
                    : "The bearer token is not valid.";
            return send(exchange, error.getHttpStatus(), detail, bearerChallenge(error));
        }
        return apiKeyPaths
                .matches(exchange)
                .flatMap(match -> match.isMatch()
                        ? send(
                                exchange,
                                HttpStatus.UNAUTHORIZED,
                                "A valid " + ApiKeyVerifier.HEADER + " header is required.",
                                API_KEY_CHALLENGE)
                        : send(exchange, HttpStatus.UNAUTHORIZED, "A valid bearer token is required.", "Bearer"));
    }

    private Mono<Void> send(ServerWebExchange exchange, HttpStatus status, String detail, String challenge) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        return writer.write(exchange, new ProblemResponse(body, headers));
    }

    private static String bearerChallenge(BearerTokenError error) {
        List<String> parameters = new ArrayList<>();
        parameters.add(parameter("error", error.getErrorCode()));
        if (StringUtils.hasText(error.getDescription())) {
            parameters.add(parameter("error_description", error.getDescription()));
        }
        if (StringUtils.hasText(error.getUri())) {
            parameters.add(parameter("error_uri", error.getUri()));
        }
        return "Bearer " + String.join(", ", parameters);
    }

    /** A quoted auth-param; quotes and line breaks in token error texts must not break the header. */
    private static String parameter(String name, String value) {
        String safe = value.replaceAll("[\\r\\n\"\\\\]", " ");
        return name + "=\"" + safe + "\"";
    }
}
