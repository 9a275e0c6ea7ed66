package dev.projectdashboard.gateway.upstream;

import dev.projectdashboard.starter.problem.ProblemException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.netty.channel.AbortedException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * What went wrong reaching a service, in the words a client gets: a problem naming the service (member
 * {@code service}), without host, port or exception, and with {@code Retry-After} where waiting helps.
 */
final class UpstreamFailures {

    /** Problem member naming the service that failed. */
    static final String SERVICE_PROPERTY = "service";

    private UpstreamFailures() {}

    enum Kind {
        /** Nothing listens, the name does not resolve, or the connection attempt timed out. */
        UNREACHABLE,
        /** The service closed the connection before answering (it crashed or was stopped mid-request). */
        CLOSED,
        /** No answer within the route's response timeout. */
        TIMEOUT,
        /** Every pooled connection to the service is busy and none came free in time: the gateway's limit. */
        POOL_EXHAUSTED,
        /** Something else: not the service's failure (a client that left, a body cut off at the gateway). */
        OTHER
    }

    static Kind classify(Throwable error) {
        for (Throwable current = error; current != null; current = current.getCause()) {
            String name = current.getClass().getName();
            // reactor-netty shades reactor-pool: matched by name
            if (name.endsWith("PoolAcquireTimeoutException") || name.endsWith("PoolAcquirePendingLimitException")) {
                return Kind.POOL_EXHAUSTED;
            }
            if (current instanceof ConnectException
                    || current instanceof UnknownHostException
                    || current instanceof NoRouteToHostException) {
                return Kind.UNREACHABLE;
            }
            if (current instanceof PrematureCloseException || current instanceof AbortedException) {
                // closed before or while the request was sent, or before the answer
                return Kind.CLOSED;
            }
            if (current instanceof ClientGone) {
                return Kind.OTHER;
            }
            if (current instanceof TimeoutException
                    || (current instanceof ResponseStatusException status
                            && status.getStatusCode().value() == HttpStatus.GATEWAY_TIMEOUT.value()
                            && !(status.getCause() != null && classify(status.getCause()) == Kind.POOL_EXHAUSTED))) {
                return Kind.TIMEOUT;
            }
            if (current instanceof IOException) {
                // a reset or broken upstream connection (the client's own departure is ClientGone)
                return Kind.CLOSED;
            }
        }
        return Kind.OTHER;
    }

    /** Whether the breaker counts the error: the service did not answer. */
    static boolean isFailureOfService(Throwable error) {
        Kind kind = classify(error);
        return kind == Kind.UNREACHABLE || kind == Kind.CLOSED || kind == Kind.TIMEOUT;
    }

    /** The problem for a failure to reach the service, or the error itself when it is none. */
    static Throwable toProblem(String service, Throwable error, Duration retryAfter) {
        if (error instanceof ClientGone gone) {
            return gone.getCause();
        }
        if (error instanceof CallNotPermittedException) {
            return problem(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    service,
                    "The " + service + " service is unavailable after repeated failures; try again later.",
                    retryAfter);
        }
        return switch (classify(error)) {
            case UNREACHABLE ->
                problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        service,
                        "The " + service + " service is unavailable; try again later.",
                        retryAfter);
            case POOL_EXHAUSTED ->
                problem(
                        HttpStatus.SERVICE_UNAVAILABLE,
                        service,
                        "The " + service + " service is busy with other requests; try again later.",
                        retryAfter);
            case CLOSED ->
                problem(
                        HttpStatus.BAD_GATEWAY,
                        service,
                        "The " + service + " service closed the connection without answering.",
                        null);
            case TIMEOUT ->
                problem(
                        HttpStatus.GATEWAY_TIMEOUT,
                        service,
                        "The " + service + " service did not answer in time.",
                        null);
            case OTHER -> error;
        };
    }

    /**
     * Marks an error raised after the client itself went away (a reset of the client's connection reads like a reset
     * of the service's): neither the service's failure nor worth a problem nobody reads.
     */
    static final class ClientGone extends RuntimeException {

        ClientGone(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    // no cause: the starter's mapper would log its stack trace, and a service being down is no bug of the gateway
    private static ProblemException problem(HttpStatus status, String service, String detail, Duration retryAfter) {
        ProblemException problem = new ProblemException(status, detail).with(SERVICE_PROPERTY, service);
        if (retryAfter != null) {
            problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
        }
        return problem;
    }
}
