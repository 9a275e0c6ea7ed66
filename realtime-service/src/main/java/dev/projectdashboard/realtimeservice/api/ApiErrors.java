package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.script.RedisScript.ScriptException;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import io.lettuce.core.RedisException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpStatus;

/** Turns what the hub, history and Redis report into the API's problem answers. */
final class ApiErrors {

    static final String UNAVAILABLE = "Redis is unavailable; nothing was changed, retry later";

    private ApiErrors() {}

    /** For {@code onErrorMap}: refusals keep their meaning, an unreachable Redis becomes a 503, bugs stay 500s. */
    static Throwable translate(Throwable error) {
        if (error instanceof ProblemException) {
            return error;
        }
        if (error instanceof RealtimeException refusal) {
            HttpStatus status =
                    switch (refusal.code()) {
                        case RealtimeException.BAD_REQUEST -> HttpStatus.BAD_REQUEST;
                        case RealtimeException.PERMISSION_DENIED -> HttpStatus.FORBIDDEN;
                        case RealtimeException.LIMIT_EXCEEDED -> HttpStatus.TOO_MANY_REQUESTS;
                        case RealtimeException.NOT_AVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
                        case RealtimeException.UNRECOVERABLE_POSITION -> HttpStatus.CONFLICT;
                        default -> null;
                    };
            return status == null
                    ? error
                    : new ProblemException(status, refusal.getMessage(), refusal).with("code", refusal.code());
        }
        if (unavailable(error)) {
            return new ProblemException(HttpStatus.SERVICE_UNAVAILABLE, UNAVAILABLE, error);
        }
        return error;
    }

    static ProblemException invalid(List<FieldViolation> errors) {
        return ProblemException.invalid("The request is invalid.", errors);
    }

    static ProblemException invalid(String field, String message) {
        return invalid(List.of(new FieldViolation(field, message)));
    }

    /**
     * Redis down, unreachable or too slow, wherever in the cause chain the driver or the event bus says so. A script
     * Redis ran and that failed is not: retrying would fail the same way.
     */
    static boolean unavailable(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ScriptException script) {
                return script.unavailable();
            }
            if (cause instanceof RedisException
                    || cause instanceof EventBusUnavailableException
                    || cause instanceof TimeoutException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
