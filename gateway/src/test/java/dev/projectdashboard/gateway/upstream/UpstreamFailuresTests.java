package dev.projectdashboard.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.problem.ProblemException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.channel.ConnectTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import reactor.netty.channel.AbortedException;

class UpstreamFailuresTests {

    private static final Duration RETRY = Duration.ofSeconds(10);

    @Test
    void callsAServiceThatCannotBeReachedUnavailable() {
        for (Throwable error : new Throwable[] {
            new ConnectException("Connection refused: /10.1.2.3:8083"),
            new ConnectTimeoutException("connection timed out after 2000 ms: /10.1.2.3:8083"),
            new UnknownHostException("device-bridge.svc")
        }) {
            ProblemException problem = problem(error);
            assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(problem.getBody().getDetail())
                    .isEqualTo("The device-bridge service is unavailable; try again later.");
            assertThat(problem.getBody().getProperties()).containsEntry("service", "device-bridge");
            assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
            assertThat(UpstreamFailures.isFailureOfService(error)).isTrue();
        }
    }

    @Test
    void callsAnOpenBreakerUnavailableWithoutTrying() {
        CircuitBreaker breaker = CircuitBreaker.ofDefaults("device-bridge");
        breaker.transitionToOpenState();

        ProblemException problem = problem(CallNotPermittedException.createCallNotPermittedException(breaker));

        assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(problem.getBody().getDetail()).contains("repeated failures");
        assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("10");
    }

    @Test
    void callsTheGatewaysResponseTimeoutAGatewayTimeout() {
        ResponseStatusException timeout = new ResponseStatusException(
                HttpStatus.GATEWAY_TIMEOUT,
                "Response took longer than timeout: PT30S",
                new TimeoutException("Response took longer than timeout: PT30S"));

        ProblemException problem = problem(timeout);

        assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(problem.getBody().getDetail()).doesNotContain("PT30S");
        assertThat(UpstreamFailures.isFailureOfService(timeout)).isTrue();
    }

    @Test
    void callsAConnectionTheServiceDroppedABadGateway() {
        for (Throwable error : new Throwable[] {
            new IOException("Connection reset by peer"),
            new AbortedException("Connection has been closed BEFORE send operation")
        }) {
            assertThat(problem(error).getStatusCode()).isEqualTo(HttpStatus.BAD_GATEWAY);
            assertThat(UpstreamFailures.isFailureOfService(error)).isTrue();
        }
    }

    /** The gateway's own pool is full: the service is busy, not failing; its breaker must not open for it. */
    @Test
    void callsAFullConnectionPoolBusyWithoutBlamingTheService() {
        TimeoutException poolTimeout = new PoolAcquireTimeoutException();
        ResponseStatusException mapped =
                new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT, "timeout", poolTimeout);

        ProblemException problem = problem(mapped);

        assertThat(problem.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(problem.getBody().getDetail()).contains("busy");
        assertThat(UpstreamFailures.isFailureOfService(mapped)).isFalse();
    }

    @Test
    void leavesOtherErrorsAlone() {
        IllegalStateException bug = new IllegalStateException("a bug");
        assertThat(UpstreamFailures.toProblem("device-bridge", bug, RETRY)).isSameAs(bug);
        assertThat(UpstreamFailures.isFailureOfService(bug)).isFalse();
    }

    @Test
    void leavesTheErrorOfAClientThatLeftToTheClient() {
        IOException reset = new IOException("Connection reset by peer");
        UpstreamFailures.ClientGone gone = new UpstreamFailures.ClientGone(reset);

        assertThat(UpstreamFailures.toProblem("device-bridge", gone, RETRY)).isSameAs(reset);
        assertThat(UpstreamFailures.isFailureOfService(gone)).isFalse();
    }

    private static ProblemException problem(Throwable error) {
        return (ProblemException) UpstreamFailures.toProblem("device-bridge", error, RETRY);
    }

    /** Named like reactor-pool's (shaded in Reactor Netty), which is what the classification goes by. */
    private static final class PoolAcquireTimeoutException extends TimeoutException {}
}
