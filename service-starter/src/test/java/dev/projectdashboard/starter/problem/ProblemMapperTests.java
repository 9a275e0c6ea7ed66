package dev.projectdashboard.starter.problem;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.netty.handler.timeout.ReadTimeoutException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.InstanceOfAssertFactories;
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

    record Line(@JsonProperty("file_name") @NotBlank String fileName) {}

    record Shipment(@JsonProperty("device_id") @NotBlank String deviceId, @Valid List<Line> items) {}

    @Test
    void violationsOfAValidatedRequestObjectNameTheJsonFields() {
        Shipment shipment = new Shipment(" ", List.of(new Line("a.jpg"), new Line("")));
        Set<ConstraintViolation<Shipment>> violations;
        try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
            violations = validation.getValidator().validate(shipment);
        }

        ProblemResponse problem = mapper.resolve(new ConstraintViolationException(violations), exchange);

        assertThat(problem.status()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(problem.body().getProperties().get(ProblemMapper.ERRORS_PROPERTY))
                .asInstanceOf(InstanceOfAssertFactories.list(FieldViolation.class))
                .extracting(FieldViolation::field)
                .containsExactly("device_id", "items[1].file_name");
    }
}
