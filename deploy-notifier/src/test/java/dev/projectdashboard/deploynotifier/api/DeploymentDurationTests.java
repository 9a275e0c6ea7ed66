package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.payload;
import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.starter.security.DevTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * Durations in seconds, as the deployment webhook's clients send them (docs/contracts.md): fractional ones (GitHub's own timings, {@code date
 * +%s.%N} arithmetic) are kept and answered as JSON numbers, whole ones stay whole, nonsense is a 400.
 */
class DeploymentDurationTests extends DeployNotifierTestSupport {

    private final String admin = DevTokens.adminToken("root");

    /** Posts the notifications in turn; each must be accepted. */
    private void accepted(String... bodies) {
        for (String body : bodies) {
            postSigned(DEPLOYMENT_HOOK, body).expectStatus().isAccepted();
        }
    }

    /** The contract's step notification as a completion of the same step (its example shows only the start). */
    private static String stepCompleted(String project, String deployment, String timestamp, String duration) {
        String body = payload("step_started", project, deployment)
                .replace("\"step_started\"", "\"step_completed\"")
                .replace("\"step_status\": \"started\"", "\"step_status\": \"completed\"")
                .replace("开始验证部署参数", "部署验证完成")
                .replace("2024-01-01T12:00:00.000Z", timestamp);
        return duration == null
                ? body.replace(",\n  \"duration\": 0", "")
                : body.replace("\"duration\": 0", "\"duration\": " + duration);
    }

    /**
     * The value at {@code pointer} is a JSON number written exactly so, as the body has it (a parsed tree would hide
     * the difference): {@code 45}, not {@code 45.0} or {@code 4.5E+1}; {@code 12.5}, not {@code 12.500000} or
     * {@code "12.5"}.
     */
    private static void assertNumber(String json, String pointer, String text) {
        try (JsonParser parser = JSON.createParser(json)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                if (token.isScalarValue()
                        && parser.streamReadContext().pathAsPointer().toString().equals(pointer)) {
                    assertThat(token.isNumeric())
                            .as("%s is a JSON number in %s", pointer, json)
                            .isTrue();
                    assertThat(parser.getString()).as("%s in %s", pointer, json).isEqualTo(text);
                    return;
                }
            }
        }
        throw new AssertionError("no " + pointer + " in " + json);
    }

    @Test
    void fractionalDurationsAreStoredAnsweredAndPublishedAsSent() {
        String project = unique("axi");
        String deployment = unique("run");

        accepted(
                payload("step_started", project, deployment),
                stepCompleted(project, deployment, "2024-01-01T12:00:12.500Z", "12.5"),
                payload("metrics_update", project, deployment)
                        .replace("\"total_duration\": 45", "\"total_duration\": 45.75"),
                payload("deployment_completed", project, deployment).replace("\"duration\": 45", "\"duration\": 12.5"));

        String detail = getText("/api/v1/deployments/" + deployment, admin);
        assertNumber(detail, "/duration", "12.5");
        assertNumber(detail, "/steps/0/duration", "12.5");
        assertNumber(detail, "/metrics/total_duration", "45.75");
        assertNumber(getText("/api/v1/deployments?project=" + project, admin), "/items/0/duration", "12.5");

        List<String> events = streamEventTexts(deployment);
        assertThat(events)
                .extracting(event -> JSON.readTree(event).path("type").asString())
                .containsExactly(
                        "deployment.step_started",
                        "deployment.step_completed",
                        "deployment.metrics",
                        "deployment.completed");
        assertNumber(events.get(0), "/data/duration", "0");
        assertNumber(events.get(1), "/data/duration", "12.5");
        assertNumber(events.get(2), "/data/metrics/total_duration", "45.75");
        assertNumber(events.get(3), "/data/duration", "12.5");
    }

    @Test
    void wholeDurationsStayWholeNumbers() {
        String project = unique("axi");
        String deployment = unique("run");

        accepted(
                payload("step_started", project, deployment),
                stepCompleted(project, deployment, "2024-01-01T12:00:12.000Z", "12"),
                payload("deployment_completed", project, deployment));
        // a client that writes whole seconds with a fraction, as `printf %.1f` does, is answered with whole seconds
        String legacy = payload("legacy", project, "unused").replace("\"duration\": 45", "\"duration\": 45.0");
        String legacyId = JSON.readTree(postSigned(DEPLOYMENT_HOOK, legacy)
                        .expectStatus()
                        .isAccepted()
                        .expectBody()
                        .returnResult()
                        .getResponseBody())
                .path("deployment_id")
                .asString();

        String detail = getText("/api/v1/deployments/" + deployment, admin);
        assertNumber(detail, "/duration", "45");
        assertNumber(detail, "/steps/0/duration", "12");
        assertNumber(getText("/api/v1/deployments/" + legacyId, admin), "/duration", "45");
        List<String> events = streamEventTexts(deployment);
        assertNumber(events.get(1), "/data/duration", "12");
        assertNumber(events.get(2), "/data/duration", "45");
        assertNumber(streamEventTexts(legacyId).get(0), "/data/duration", "45");
    }

    @Test
    void durationsDerivedFromTimestampsKeepTheirFraction() {
        String project = unique("axi");
        String deployment = unique("run");

        accepted(
                payload("step_started", project, deployment),
                stepCompleted(project, deployment, "2024-01-01T12:00:12.250Z", null),
                payload("deployment_completed", project, deployment)
                        .replace(",\n  \"duration\": 45", "")
                        .replace(
                                "\"completed_at\": \"2024-01-01T12:01:00.000Z\"",
                                "\"completed_at\": \"2024-01-01T12:01:00.750Z\""));

        String detail = getText("/api/v1/deployments/" + deployment, admin);
        assertNumber(detail, "/steps/0/duration", "12.25");
        // from the earliest start heard of (the step, 12:00:00.000) to completed_at
        assertNumber(detail, "/duration", "60.75");
        List<String> events = streamEventTexts(deployment);
        // the events carry what was sent: the completion of the step and of the deployment named no duration
        assertThat(JSON.readTree(events.get(1)).path("data").has("duration")).isFalse();
        assertThat(JSON.readTree(events.get(2)).path("data").has("duration")).isFalse();
    }

    @Test
    void negativeTextualAndAbsurdDurationsAre400NamingTheFieldAndStoreNothing() {
        String project = unique("axi");
        String deployment = unique("run");
        String completed = payload("deployment_completed", project, deployment);
        String metrics = payload("metrics_update", project, deployment);
        List<Map.Entry<String, String>> refused = List.of(
                Map.entry("duration", stepCompleted(project, deployment, "2024-01-01T12:00:12.500Z", "-12.5")),
                Map.entry("duration", completed.replace("\"duration\": 45", "\"duration\": \"NaN\"")),
                // no numeric strings: no other number of the webhook is accepted as a string either
                Map.entry("duration", completed.replace("\"duration\": 45", "\"duration\": \"12.5\"")),
                Map.entry("duration", completed.replace("\"duration\": 45", "\"duration\": 1e12")),
                Map.entry(
                        "metrics.total_duration",
                        metrics.replace("\"total_duration\": 45", "\"total_duration\": 2147483647.5")),
                Map.entry(
                        "metrics.total_duration",
                        metrics.replace("\"total_duration\": 45", "\"total_duration\": -0.25")));

        for (Map.Entry<String, String> body : refused) {
            JsonNode problem = problem(postSigned(DEPLOYMENT_HOOK, body.getValue()), HttpStatus.BAD_REQUEST);
            assertThat(problem.path("errors").valueStream().map(error -> error.path("field")
                            .asString()))
                    .as(body.getValue())
                    .containsExactly(body.getKey());
        }

        assertThat(deliveries(project)).isZero();
        assertThat(count("deployment", project)).isZero();
        assertThat(streamEvents(deployment)).isEmpty();
    }

    @Test
    void projectMetricsPercentilesCoverFractionalDurations() {
        String project = unique("stats");
        Instant started = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        List<String> durations = List.of("10.5", "20.25", "30", "40.125");
        for (int i = 0; i < durations.size(); i++) {
            Instant start = started.plus(i, ChronoUnit.MINUTES);
            accepted(payload("deployment_completed", project, project + "-" + i)
                    .replace("\"duration\": 45", "\"duration\": " + durations.get(i))
                    .replace("2024-01-01T12:00:15.000Z", start.toString())
                    .replace("2024-01-01T12:01:00.000Z", start.plusSeconds(45).toString()));
        }

        JsonNode metrics = getJson("/api/v1/projects/" + project + "/metrics?window=P1D", admin);
        assertThat(metrics.path("count").asLong()).isEqualTo(4);
        // linear interpolation over 10.5, 20.25, 30, 40.125
        assertThat(metrics.path("p50_duration").asDouble()).isCloseTo(25.125, within(1e-9));
        assertThat(metrics.path("p95_duration").asDouble()).isCloseTo(38.60625, within(1e-9));
    }
}
