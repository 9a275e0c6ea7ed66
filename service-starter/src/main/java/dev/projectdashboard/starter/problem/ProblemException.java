package dev.projectdashboard.starter.problem;

import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error a service raises on purpose: its status and detail reach the client as problem JSON, even for
 * 5xx (e.g. {@code new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, "Object storage is unavailable")}),
 * so the detail must be written for clients.
 */
public class ProblemException extends ErrorResponseException {

    public ProblemException(HttpStatusCode status, String detail) {
        this(status, detail, null);
    }

    public ProblemException(HttpStatusCode status, String detail, Throwable cause) {
        super(status, ProblemDetail.forStatusAndDetail(status, detail), cause);
    }

    /** A 400 whose body lists the offending fields as {@code errors: [{field, message}]}. */
    public static ProblemException invalid(String detail, List<FieldViolation> errors) {
        ProblemException exception = new ProblemException(HttpStatus.BAD_REQUEST, detail);
        exception.getBody().setProperty(ProblemMapper.ERRORS_PROPERTY, List.copyOf(errors));
        return exception;
    }

    /** Adds a member to the problem body (snake_case name, JSON-serialisable value). */
    public ProblemException with(String name, Object value) {
        getBody().setProperty(name, value);
        return this;
    }

    @Override
    public String getMessage() {
        return getStatusCode() + " " + getBody().getDetail();
    }
}
