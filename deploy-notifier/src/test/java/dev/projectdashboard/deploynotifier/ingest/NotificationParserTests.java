package dev.projectdashboard.deploynotifier.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Durations;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.deploynotifier.deployment.Times;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class NotificationParserTests {

    private static final Instant NOW = Instant.parse("2026-11-23T05:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] HASH = new byte[32];

    private final NotificationParser parser = new NotificationParser(Clock.fixed(NOW, ZoneOffset.UTC));

    private Notification parse(String json) {
        return parser.parse(JSON.readTree(json), HASH);
    }

    /** The fields a refused payload's 400 names. */
    private List<String> refusedFields(String json) {
        return violations(json).stream().map(FieldViolation::field).toList();
    }

    @SuppressWarnings("unchecked")
    private List<FieldViolation> violations(String json) {
        try {
            parse(json);
        } catch (ProblemException e) {
            assertThat(e.getStatusCode().value()).isEqualTo(400);
            return (List<FieldViolation>) e.getBody().getProperties().get("errors");
        }
        throw new AssertionError("not refused: " + json);
    }

    @Test
    void stepDefaultsAndNumericIds() {
        Notification.Step step = (Notification.Step)
                parse(
                        "{\"type\":\"step_completed\",\"project\":\"p\",\"deployment_id\":123,\"step_name\":\"build\",\"workflow_id\":987}");
        assertThat(step.deploymentId()).isEqualTo("123");
        assertThat(step.workflowId()).isEqualTo("987");
        assertThat(step.status()).isEqualTo(StepStatus.COMPLETED);
        assertThat(step.timestamp()).isEqualTo(NOW);
        assertThat(step.started()).isFalse();
    }

    @Test
    void legacyPayloadNamesItsDeploymentFromTheHash() {
        Notification.Completed completed =
                (Notification.Completed) parse("{\"project\":\"p\",\"status\":\"failure\",\"duration\":3}");
        assertThat(completed.deploymentId()).isEqualTo("legacy-0000000000000000");
        assertThat(completed.status()).isEqualTo(DeploymentStatus.FAILED);
        assertThat(refusedFields("{\"project\":\"p\"}")).containsExactly("status");
    }

    @Test
    void everyOffendingFieldIsListed() {
        assertThat(refusedFields("{\"type\":\"metrics_update\",\"project\":\"a b\",\"deployment_id\":\"d\","
                        + "\"metrics\":{\"total_duration\":-1,\"steps_count\":1.5,\"start_time\":\"soon\"}}"))
                .containsExactlyInAnyOrder(
                        "project", "metrics.total_duration", "metrics.steps_count", "metrics.start_time");
        assertThat(refusedFields("{\"type\":\"log_entry\",\"project\":\"p\",\"deployment_id\":\"d\",\"level\":7}"))
                .containsExactlyInAnyOrder("message", "level");
        assertThat(refusedFields("{\"type\":\"step_started\",\"project\":\"p\",\"deployment_id\":\"d\","
                        + "\"step_name\":\"  \",\"duration\":-1.25}"))
                .containsExactlyInAnyOrder("step_name", "duration");
        assertThat(refusedFields("{\"type\":7}")).containsExactly("type");
    }

    @Test
    void nulCharactersTextsLongerThanTheirColumnAndTimesBeyondTheYear9999AreRefused() {
        assertThat(refusedFields("{\"type\":\"step_completed\",\"project\":\"p\",\"deployment_id\":\"d\","
                        + "\"step_name\":\"a\\u0000\",\"logs\":\"\\u0000\",\"workflow_id\":1" + "0".repeat(128)
                        + ",\"timestamp\":\"+10000-01-01T00:00:00Z\"}"))
                .containsExactlyInAnyOrder("step_name", "logs", "workflow_id", "timestamp");
        assertThat(refusedFields("{\"type\":\"log_entry\",\"project\":\"p\",\"deployment_id\":\"d\"," + "\"message\":\""
                        + "x".repeat(Fields.MAX_TEXT + 1) + "\",\"timestamp\":\"-5000-01-01T00:00:00Z\"}"))
                .containsExactlyInAnyOrder("message", "timestamp");
        // the earliest and latest times there are, and a line time that is no time at all, are fine
        assertThat(((Notification.Step) parse("{\"type\":\"step_started\",\"project\":\"p\",\"deployment_id\":\"d\","
                                + "\"step_name\":\"s\",\"timestamp\":\"0001-01-01T00:00:00Z\"}"))
                        .timestamp())
                .isEqualTo(Times.EARLIEST);
        assertThat(((Notification.Logs) parse("{\"type\":\"log_entry\",\"project\":\"p\",\"deployment_id\":\"d\","
                                + "\"message\":\"m\",\"timestamp\":\"...\"}"))
                        .lines()
                        .get(0)
                        .timestamp())
                .isEqualTo(NOW);
    }

    private BigDecimal stepDuration(String duration) {
        return ((Notification.Step) parse("{\"type\":\"step_completed\",\"project\":\"p\",\"deployment_id\":\"d\","
                        + "\"step_name\":\"build\",\"duration\":" + duration + "}"))
                .duration();
    }

    @Test
    void durationsMayBeFractionalAndAreKeptToTheMicrosecondInTheirShortestForm() {
        assertThat(stepDuration("12.5")).hasToString("12.5");
        assertThat(stepDuration("45")).hasToString("45");
        // whole seconds written with a fraction or an exponent are still whole seconds, not 45.0 or 4.5E+1
        assertThat(stepDuration("45.0")).hasToString("45");
        assertThat(stepDuration("4.5e1")).hasToString("45");
        assertThat(stepDuration("450")).hasToString("450");
        assertThat(stepDuration("0")).hasToString("0");
        assertThat(stepDuration("-0.0")).hasToString("0");
        // `date +%s.%N` arithmetic and `bc -l` give nanoseconds or more: rounded to the microsecond
        assertThat(stepDuration("12.500000000")).hasToString("12.5");
        assertThat(stepDuration("3.1415926535")).hasToString("3.141593");
        assertThat(stepDuration("0.0000004")).hasToString("0");
        assertThat(stepDuration("0.0000005")).hasToString("0.000001");
        assertThat(stepDuration("2147483647")).isEqualTo(Durations.MAX);
        Notification.Completed completed = (Notification.Completed) parse(
                "{\"type\":\"deployment_completed\",\"project\":\"p\",\"deployment_id\":\"d\",\"status\":\"success\","
                        + "\"duration\":12.5}");
        assertThat(completed.duration()).hasToString("12.5");
        Notification.Completed legacy =
                (Notification.Completed) parse("{\"project\":\"p\",\"status\":\"success\",\"duration\":45.75}");
        assertThat(legacy.duration()).hasToString("45.75");
    }

    @Test
    void negativeTextualAndAbsurdDurationsAreRefusedByName() {
        String step = "{\"type\":\"step_completed\",\"project\":\"p\",\"deployment_id\":\"d\",\"step_name\":\"s\","
                + "\"duration\":";
        for (String duration : List.of(
                "-0.5",
                "-1e400",
                "\"12.5\"",
                "\"NaN\"",
                "\"Infinity\"",
                "true",
                "{}",
                "[12.5]",
                "2147483647.5",
                "1e12",
                "1e400",
                "100000000000000000000000000000")) {
            List<FieldViolation> refused = violations(step + duration + "}");
            assertThat(refused).as(duration).extracting(FieldViolation::field).containsExactly("duration");
        }
        assertThat(violations(step + "-0.5}").get(0).message()).isEqualTo("must not be negative");
        assertThat(violations(step + "\"12.5\"}").get(0).message())
                .isEqualTo("must be a non-negative number of seconds");
        assertThat(violations(step + "1e12}").get(0).message()).isEqualTo("must be at most 2147483647 seconds");
        assertThat(refusedFields("{\"project\":\"p\",\"status\":\"success\",\"duration\":\"45\"}"))
                .containsExactly("duration");
    }

    @Test
    void metricsTotalDurationMayBeFractionalButCountsStayWhole() {
        String metrics = "{\"type\":\"metrics_update\",\"project\":\"p\",\"deployment_id\":\"d\",\"metrics\":";
        Notification.Metrics accepted =
                (Notification.Metrics) parse(metrics + "{\"total_duration\":45.75,\"steps_count\":5}}");
        assertThat(accepted.metrics().path("total_duration").decimalValue()).isEqualByComparingTo("45.75");
        assertThat(refusedFields(metrics + "{\"total_duration\":-45.75,\"successful_steps\":4.5}}"))
                .containsExactlyInAnyOrder("metrics.total_duration", "metrics.successful_steps");
        assertThat(refusedFields(metrics + "{\"total_duration\":\"NaN\"}}")).containsExactly("metrics.total_duration");
        assertThat(refusedFields(metrics + "{\"total_duration\":1e300}}")).containsExactly("metrics.total_duration");
    }

    @Test
    void countsTooLargeForALongAreRefusedByName() {
        assertThat(refusedFields("{\"type\":\"metrics_update\",\"project\":\"p\",\"deployment_id\":\"d\","
                        + "\"metrics\":{\"steps_count\":1e30,\"failed_steps\":100000000000000000000000,"
                        + "\"successful_steps\":-1e30}}"))
                .containsExactlyInAnyOrder("metrics.steps_count", "metrics.failed_steps", "metrics.successful_steps");
    }

    @Test
    void aPlaceholderLogTimestampIsTheArrivalTimeButAWrongTypeIsRefused() {
        Notification.Logs logs = (Notification.Logs)
                parse(
                        "{\"type\":\"log_batch\",\"project\":\"p\","
                                + "\"deployment_id\":\"d\",\"logs\":[{\"message\":\"m\",\"timestamp\":\"...\",\"level\":\"WARNING\"}]}");
        assertThat(logs.lines().get(0).timestamp()).isEqualTo(NOW);
        assertThat(logs.lines().get(0).level()).isEqualTo("warn");
        assertThat(refusedFields("{\"type\":\"log_batch\",\"project\":\"p\",\"deployment_id\":\"d\","
                        + "\"logs\":[{\"message\":\"m\",\"timestamp\":5}]}"))
                .containsExactly("logs[0].timestamp");
    }

    @Test
    void aJsonValueThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> parse("[]")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> parse("\"text\"")).isInstanceOf(ProblemException.class);
    }
}
