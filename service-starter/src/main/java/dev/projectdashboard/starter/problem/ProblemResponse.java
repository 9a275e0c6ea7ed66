package dev.projectdashboard.starter.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;

/**
 * A problem body with the headers that belong to it ({@code Allow} for 405, {@code WWW-Authenticate} for
 * 401, {@code Accept} for 415).
 */
public record ProblemResponse(ProblemDetail body, HttpHeaders headers) {

    public HttpStatusCode status() {
        return HttpStatusCode.valueOf(body.getStatus());
    }
}
