package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.payload;
import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.starter.security.DevTokens;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/** The query API over deployments stored through the webhook: visibility by claim, paging, logs, metrics. */
class DeploymentQueryTests extends DeployNotifierTestSupport {

    private final String admin = DevTokens.adminToken("root");

    /** Stores a completed deployment that started {@code minutesAgo} and ran {@code seconds}. */
    private void completed(String project, String deployment, String status, int seconds, long minutesAgo) {
        Instant started = Instant.now().minus(minutesAgo, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        String body = payload("deployment_completed", project, deployment)
                .replace("\"status\": \"success\"", "\"status\": \"" + status + "\"")
                .replace("\"duration\": 45", "\"duration\": " + seconds)
                .replace("2024-01-01T12:00:15.000Z", started.toString())
                .replace(
                        "2024-01-01T12:01:00.000Z", started.plusSeconds(seconds).toString());
        postSigned(DEPLOYMENT_HOOK, body).expectStatus().isAccepted();
    }

    @Test
    void usersSeeOnlyTheProjectsOfTheirClaimAndOthersAre404() {
        String mine = unique("mine");
        String theirs = unique("theirs");
        completed(mine, "d-" + mine, "success", 10, 5);
        completed(theirs, "d-" + theirs, "success", 10, 4);
        String user = DevTokens.userToken("alice", List.of("user"), List.of(mine), List.of());

        JsonNode listed = getJson("/api/v1/deployments?limit=200", user);
        assertThat(listed.path("items").valueStream().map(item -> item.path("project")
                        .asString()))
                .contains(mine)
                .doesNotContain(theirs);
        getJson("/api/v1/deployments/d-" + mine, user);
        problem(
                client.get()
                        .uri("/api/v1/deployments/d-" + theirs)
                        .headers(headers -> headers.setBearerAuth(user))
                        .exchange(),
                HttpStatus.NOT_FOUND);
        problem(
                client.get()
                        .uri("/api/v1/projects/" + theirs + "/metrics")
                        .headers(headers -> headers.setBearerAuth(user))
                        .exchange(),
                HttpStatus.NOT_FOUND);
        assertThat(getJson("/api/v1/deployments?project=" + theirs, user).path("items"))
                .isEmpty();
        assertThat(getJson("/api/v1/projects", user).path("items").valueStream().map(item -> item.path("project")
                        .asString()))
                .contains(mine)
                .doesNotContain(theirs);
        // admins see everything
        assertThat(getJson("/api/v1/deployments/d-" + theirs, admin)
                        .path("project")
                        .asString())
                .isEqualTo(theirs);
        // no token: 401
        problem(client.get().uri("/api/v1/deployments").exchange(), HttpStatus.UNAUTHORIZED);
        problem(
                client.get()
                        .uri("/api/v1/deployments/unknown-" + mine)
                        .headers(h -> h.setBearerAuth(admin))
                        .exchange(),
                HttpStatus.NOT_FOUND);
    }

    @Test
    void pagesNewestFirstWithoutGapsOrRepeats() {
        String project = unique("paged");
        for (int i = 0; i < 7; i++) {
            completed(project, project + "-" + i, "success", 5, 100 - i);
        }
        List<String> seen = new ArrayList<>();
        String before = null;
        do {
            JsonNode page = getJson(
                    "/api/v1/deployments?project=" + project + "&limit=3" + (before == null ? "" : "&before=" + before),
                    admin);
            page.path("items")
                    .forEach(item -> seen.add(item.path("deployment_id").asString()));
            before = page.path("next_before").isString()
                    ? page.path("next_before").asString()
                    : null;
        } while (before != null);

        assertThat(seen)
                .containsExactly(
                        project + "-6",
                        project + "-5",
                        project + "-4",
                        project + "-3",
                        project + "-2",
                        project + "-1",
                        project + "-0");
        assertThat(getJson("/api/v1/deployments?project=" + project + "&status=failed", admin)
                        .path("items"))
                .isEmpty();
    }

    @Test
    void logsPageInArrivalOrder() {
        String project = unique("logs");
        String deployment = unique("run");
        for (int i = 1; i <= 5; i++) {
            postSigned(
                            DEPLOYMENT_HOOK,
                            payload("log_entry", project, deployment).replace("正在上传构建产物...", "line " + i))
                    .expectStatus()
                    .isAccepted();
        }
        JsonNode first = getJson("/api/v1/deployments/" + deployment + "/logs?limit=2", admin);
        assertThat(first.path("items").valueStream().map(line -> line.path("message")
                        .asString()))
                .containsExactly("line 1", "line 2");
        long after = first.path("next_after").asLong();
        JsonNode rest = getJson("/api/v1/deployments/" + deployment + "/logs?after=" + after, admin);
        assertThat(rest.path("items").valueStream().map(line -> line.path("message")
                        .asString()))
                .containsExactly("line 3", "line 4", "line 5");
    }

    @Test
    void metricsAreComputedOverTheWindow() {
        String project = unique("metrics");
        completed(project, project + "-a", "success", 10, 60);
        completed(project, project + "-b", "success", 20, 50);
        completed(project, project + "-c", "failed", 30, 40);
        completed(project, project + "-d", "success", 40, 30);
        completed(project, project + "-e", "skipped", 1, 20);
        // outside a 1-day window
        completed(project, project + "-old", "failed", 500, 3 * 24 * 60);
        postSigned(
                        DEPLOYMENT_HOOK,
                        payload("step_started", project, project + "-running")
                                .replace(
                                        "2024-01-01T12:00:00.000Z",
                                        Instant.now().minusSeconds(60).toString()))
                .expectStatus()
                .isAccepted();

        JsonNode metrics = getJson("/api/v1/projects/" + project + "/metrics?window=P1D", admin);
        assertThat(metrics.path("count").asLong()).isEqualTo(6);
        assertThat(metrics.path("succeeded").asLong()).isEqualTo(3);
        assertThat(metrics.path("failed").asLong()).isEqualTo(1);
        assertThat(metrics.path("skipped").asLong()).isEqualTo(1);
        assertThat(metrics.path("running").asLong()).isEqualTo(1);
        // skipped and running runs are not in the rate: 3 of 4
        assertThat(metrics.path("success_rate").asDouble()).isCloseTo(0.75, within(1e-9));
        // durations 10, 20, 30, 40: linear interpolation
        assertThat(metrics.path("p50_duration").asDouble()).isCloseTo(25.0, within(1e-9));
        assertThat(metrics.path("p95_duration").asDouble()).isCloseTo(38.5, within(1e-9));

        JsonNode month = getJson("/api/v1/projects/" + project + "/metrics", admin);
        assertThat(month.path("count").asLong()).isEqualTo(7);
        assertThat(month.path("failed").asLong()).isEqualTo(2);
    }
}
