package dev.projectdashboard.deploynotifier.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.deployment.Deployment;
import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.ProjectStatistics;
import dev.projectdashboard.deploynotifier.deployment.Step;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.deploynotifier.ingest.Receipt;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON the views are written as, with the service's own mapper: field names, numbers and times on the wire. */
@JsonTest
class DeploymentViewsJsonTests {

    private static final Instant STARTED = Instant.parse("2024-01-01T12:00:00Z");

    @Autowired
    JsonMapper json;

    private JsonNode write(Object view) {
        return json.readTree(json.writeValueAsString(view));
    }

    private static Deployment deployment(BigDecimal duration) {
        return new Deployment(
                "axi-star-cloud",
                "123456789",
                "deploy-project",
                "987654321",
                DeploymentStatus.CANCELLED,
                STARTED,
                null,
                duration,
                "logs",
                "https://github.com/o/r/actions/runs/1",
                STARTED.plusMillis(1500));
    }

    @Test
    void aDeploymentIsSnakeCaseWithItsStatusWordAndRfc3339Times() {
        JsonNode written = write(DeploymentViews.Deployment.of(deployment(new BigDecimal("45"))));

        assertThat(written.propertyNames())
                .containsExactly(
                        "project",
                        "deployment_id",
                        "workflow_name",
                        "workflow_id",
                        "status",
                        "started_at",
                        "completed_at",
                        "duration",
                        "logs",
                        "html_url",
                        "updated_at");
        assertThat(written.path("status").asString()).isEqualTo("cancelled");
        assertThat(written.path("started_at").asString()).isEqualTo("2024-01-01T12:00:00Z");
        assertThat(written.path("updated_at").asString()).isEqualTo("2024-01-01T12:00:01.500Z");
        assertThat(written.path("completed_at").isNull()).isTrue();
    }

    @Test
    void durationsAreNumbersInTheirShortestForm() {
        assertThat(json.writeValueAsString(DeploymentViews.Deployment.of(deployment(new BigDecimal("45")))))
                .contains("\"duration\":45,");
        assertThat(json.writeValueAsString(DeploymentViews.Deployment.of(deployment(new BigDecimal("12.5")))))
                .contains("\"duration\":12.5,");
        assertThat(json.writeValueAsString(DeploymentViews.Deployment.of(deployment(null))))
                .contains("\"duration\":null,");
    }

    @Test
    void aDetailCarriesTheDeploymentsFieldsAtItsTopLevel() {
        DeploymentViews.Detail detail = new DeploymentViews.Detail(
                DeploymentViews.Deployment.of(deployment(null)),
                List.of(DeploymentViews.Step.of(
                        new Step("build", StepStatus.RETRYING, STARTED, null, new BigDecimal("12.25"), null))),
                json.readTree("{\"total_duration\":45.75}"));

        JsonNode written = write(detail);

        assertThat(written.path("deployment_id").asString()).isEqualTo("123456789");
        assertThat(written.has("deployment")).isFalse();
        JsonNode step = written.path("steps").get(0);
        assertThat(step.propertyNames())
                .containsExactly("step_name", "status", "started_at", "completed_at", "duration", "logs");
        assertThat(step.path("status").asString()).isEqualTo("retrying");
        assertThat(step.path("duration").decimalValue()).isEqualByComparingTo("12.25");
        assertThat(json.writeValueAsString(detail)).contains("\"total_duration\":45.75");
    }

    @Test
    void metricsNameTheirWindowAsAnIsoDurationAndRateOnlyDecidedRuns() {
        JsonNode written = write(DeploymentViews.Metrics.of(
                new ProjectStatistics("p", Duration.ofDays(1), STARTED, 6, 3, 1, 0, 1, 1, 25.0, 38.5)));

        assertThat(written.propertyNames())
                .containsExactly(
                        "project",
                        "window",
                        "since",
                        "count",
                        "succeeded",
                        "failed",
                        "cancelled",
                        "skipped",
                        "running",
                        "success_rate",
                        "p50_duration",
                        "p95_duration");
        assertThat(written.path("window").asString()).isEqualTo("PT24H");
        assertThat(written.path("success_rate").asDouble()).isEqualTo(0.75);

        JsonNode undecided = write(DeploymentViews.Metrics.of(
                new ProjectStatistics("p", Duration.ofDays(1), STARTED, 1, 0, 0, 0, 0, 1, null, null)));
        assertThat(undecided.path("success_rate").isNull()).isTrue();
    }

    @Test
    void anAcceptedAnswerListsSanitisedTextsOnlyWhenThereAreSome() {
        JsonNode plain = write(
                DeploymentViews.Accepted.of(new Receipt.Accepted("id", "step_started", "p", "d", false, 1, List.of())));
        assertThat(plain.propertyNames())
                .containsExactly("id", "type", "project", "deployment_id", "duplicate", "events");

        JsonNode sanitized = write(DeploymentViews.Accepted.of(new Receipt.Accepted(
                "id", "workflow_job", "p", "d", true, 2, List.of(new FieldViolation("workflow_job.name", "cut")))));
        assertThat(sanitized.path("sanitized").get(0).path("field").asString()).isEqualTo("workflow_job.name");
        assertThat(sanitized.path("duplicate").asBoolean()).isTrue();
    }

    @Test
    void pagesAndLogsSayWhereTheNextOneStarts() {
        assertThat(json.writeValueAsString(new DeploymentViews.Page(List.of(), null)))
                .isEqualTo("{\"items\":[],\"next_before\":null}");
        assertThat(write(new DeploymentViews.Logs("p", "d", List.of(), 7L)).propertyNames())
                .containsExactly("project", "deployment_id", "items", "next_after");
        assertThat(write(DeploymentViews.Ignored.of(new Receipt.Ignored("ping", false, "pong")))
                        .propertyNames())
                .containsExactly("event", "ignored", "reason");
    }
}
