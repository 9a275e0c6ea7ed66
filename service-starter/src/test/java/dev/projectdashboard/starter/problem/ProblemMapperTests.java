package dev.projectdashboard.starter.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.timeout.ReadTimeoutException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ResponseStatusException;

/**
 * What reaches the log for errors a client or an upstream causes, as opposed to the service's own failures (a client
 * that hangs up: StarterAdversarialTests).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemMapperTests {

    private final ProblemMapper mapper = new ProblemMapper();
    private final MockServerWebExchange exchange =
            MockServerWebExchange.from(MockServerHttpRequest.post("/api/uploads"));

    @Test
    void aStalledRequestBodyIsARequestTimeout(CapturedOutput output) {
        ProblemResponse problem = mapper.resolve(ReadTimeoutException.INSTANCE, exchange);

        assertThat(problem.status()).isEqualTo(HttpStatus.REQUEST_TIMEOUT);
        assertThat(output.getAll()).doesNotContain("Request failed");
    }

    @Test
    void anUpstreamTimeoutIsLoggedInOneLine(CapturedOutput output) {
        ResponseStatusException timeout = new ResponseStatusException(
                HttpStatus.GATEWAY_TIMEOUT,
                "Response took longer than timeout: PT30S",
                new TimeoutException("Response took longer than timeout: PT30S"));

        ProblemResponse problem = mapper.resolve(timeout, exchange);

        assertThat(problem.status()).isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
        assertThat(problem.body().getProperties()).containsKey(ProblemMapper.CORRELATION_ID_PROPERTY);
        assertThat(output.getAll().lines().filter(line -> line.contains("Request failed")))
                .singleElement()
                .asString()
                .contains(" WARN ", "POST /api/uploads", "504");
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    @Test
    void anUnexpectedFailureKeepsItsStackTrace(CapturedOutput output) {
        ProblemResponse problem = mapper.resolve(new IllegalStateException("a bug"), exchange);

        assertThat(problem.status()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(output.getAll()).contains(" ERROR ", "Request failed", "\tat ");
    }
}
