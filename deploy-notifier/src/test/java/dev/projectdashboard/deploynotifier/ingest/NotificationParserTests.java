package dev.projectdashboard.deploynotifier.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
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
                        + "\"step_name\":\"  \",\"duration\":1.25}"))
                .containsExactlyInAnyOrder("step_name", "duration");
        assertThat(refusedFields("{\"type\":7}")).containsExactly("type");
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
