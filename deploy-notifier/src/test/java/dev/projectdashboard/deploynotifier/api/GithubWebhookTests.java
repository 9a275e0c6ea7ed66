package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.deploynotifier.ingest.WebhookAuthenticator;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** Native GitHub webhooks (fixtures shaped like GitHub's payloads) mapped onto deployments and steps. */
class GithubWebhookTests extends DeployNotifierTestSupport {

    private final String admin = DevTokens.adminToken("root");

    /** A fixture with its repository name and run id replaced, so tests sharing the database never meet. */
    private static String fixture(String name, String repository, long runId) {
        try (InputStream in = GithubWebhookTests.class.getResourceAsStream("/github/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"axi-star-cloud\"", "\"" + repository + "\"")
                    .replace("axi-org/axi-star-cloud", "axi-org/" + repository)
                    .replace("9876543210", Long.toString(runId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebTestClient.ResponseSpec deliver(String event, String body, String deliveryId) {
        return client.post()
                .uri(GITHUB_HOOK)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .header(
                        WebhookAuthenticator.SIGNATURE_HEADER,
                        WebhookAuthenticator.signatureHeader(SECRET, bytes(body)))
                .bodyValue(bytes(body))
                .exchange();
    }

    private JsonNode accepted(String event, String body) {
        return JSON.readTree(deliver(event, body, UUID.randomUUID().toString())
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    @Test
    void aWorkflowRunWithItsJobsBecomesADeploymentWithSteps() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String id = Long.toString(run);

        accepted("workflow_run", fixture("workflow_run.requested", repository, run));
        JsonNode queued = accepted("workflow_job", fixture("workflow_job.queued", repository, run));
        assertThat(queued.path("ignored").asBoolean()).isTrue();
        accepted("workflow_run", fixture("workflow_run.in_progress", repository, run));
        accepted("workflow_job", fixture("workflow_job.in_progress", repository, run));
        JsonNode running = getJson("/api/v1/deployments/" + id, admin);
        assertThat(running.path("status").asString()).isEqualTo("running");
        assertThat(running.path("project").asString()).isEqualTo(repository);
        assertThat(running.path("workflow_name").asString()).isEqualTo("deploy-project");
        assertThat(running.path("steps").get(0).path("status").asString()).isEqualTo("started");

        accepted("workflow_job", fixture("workflow_job.completed.failure", repository, run));
        JsonNode completed = accepted("workflow_run", fixture("workflow_run.completed.failure", repository, run));
        assertThat(completed.path("deployment_id").asString()).isEqualTo(id);

        JsonNode detail = getJson("/api/v1/deployments/" + id, admin);
        assertThat(detail.path("status").asString()).isEqualTo("failed");
        assertThat(detail.path("html_url").asString()).endsWith("/actions/runs/" + id);
        assertThat(detail.path("duration").asLong()).isPositive();
        JsonNode steps = detail.path("steps");
        assertThat(steps.valueStream().map(step -> step.path("step_name").asString()))
                .containsExactly(
                        "deploy",
                        "deploy / Set up job",
                        "deploy / Run actions/checkout@v4",
                        "deploy / Build application",
                        "deploy / 部署验证");
        assertThat(steps.get(0).path("status").asString()).isEqualTo("failed");
        assertThat(steps.get(3).path("status").asString()).isEqualTo("failed");
        // GitHub's times are whole seconds, so are the durations derived from them
        assertThat(steps.get(3).path("duration").toString()).isEqualTo("35");
        assertThat(steps.get(4).path("logs").asString()).isEqualTo("skipped");

        assertThat(streamEvents(id))
                .extracting(event -> event.path("type").asString())
                .containsExactly(
                        "deployment.step_started",
                        "deployment.step_completed",
                        "deployment.step_completed",
                        "deployment.step_failed",
                        "deployment.step_completed",
                        "deployment.step_failed",
                        "deployment.completed");
        assertThat(streamEvents(id).get(6).path("data").path("status").asString())
                .isEqualTo("failed");
    }

    @Test
    void aSuccessfulRunAndADeploymentStatusComplete() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        accepted("workflow_job", fixture("workflow_job.completed.success", repository, run));
        accepted("deployment_status", fixture("deployment_status.success", repository, run));

        JsonNode detail = getJson("/api/v1/deployments/" + run, admin);
        assertThat(detail.path("status").asString()).isEqualTo("success");
        assertThat(detail.path("logs").asString()).contains("production").contains("success");
        assertThat(detail.path("steps").valueStream().map(step -> step.path("status")
                        .asString()))
                .containsOnly("completed");
    }

    @Test
    void aRedeliveryKeepsItsDeliveryIdAndIsStoredOnce() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String body = fixture("workflow_run.completed.success", repository, run);
        String delivery = UUID.randomUUID().toString();

        JsonNode first = JSON.readTree(deliver("workflow_run", body, delivery)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody());
        JsonNode again = JSON.readTree(deliver("workflow_run", body, delivery)
                .expectStatus()
                .isAccepted()
                .expectBody()
                .returnResult()
                .getResponseBody());

        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(streamEvents(Long.toString(run))).hasSize(1);
        assertThat(deliveries(repository)).isOne();
    }

    @Test
    void pingIsAnsweredAndOtherEventsAreIgnoredWithAReason() {
        JsonNode ping = accepted("ping", fixture("ping", unique("repo"), 1L));
        assertThat(ping.path("ignored").asBoolean()).isFalse();
        assertThat(ping.path("event").asString()).isEqualTo("ping");

        String repository = unique("repo");
        JsonNode push = accepted("push", fixture("push", repository, 1L));
        assertThat(push.path("ignored").asBoolean()).isTrue();
        assertThat(push.path("reason").asString()).contains("push");
        assertThat(deliveries(repository)).isZero();
    }

    @Test
    void aFormEncodedHookIsVerifiedOverTheRawBody() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String form = "payload="
                + URLEncoder.encode(fixture("workflow_run.completed.success", repository, run), StandardCharsets.UTF_8);

        client.post()
                .uri(GITHUB_HOOK)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-GitHub-Event", "workflow_run")
                .header(
                        WebhookAuthenticator.SIGNATURE_HEADER,
                        WebhookAuthenticator.signatureHeader(SECRET, bytes(form)))
                .bodyValue(bytes(form))
                .exchange()
                .expectStatus()
                .isAccepted();
        assertThat(getJson("/api/v1/deployments/" + run, admin).path("status").asString())
                .isEqualTo("success");
    }

    @Test
    void badSignatureMissingEventAndUnusablePayloadsAreRefusedStoringNothing() {
        String repository = unique("repo");
        String body = fixture("workflow_run.completed.success", repository, 42L);
        problem(
                client.post()
                        .uri(GITHUB_HOOK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("X-GitHub-Event", "workflow_run")
                        .header(
                                WebhookAuthenticator.SIGNATURE_HEADER,
                                WebhookAuthenticator.signatureHeader("wrong", bytes(body)))
                        .bodyValue(bytes(body))
                        .exchange(),
                HttpStatus.UNAUTHORIZED);
        problem(
                client.post()
                        .uri(GITHUB_HOOK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(
                                WebhookAuthenticator.SIGNATURE_HEADER,
                                WebhookAuthenticator.signatureHeader(SECRET, bytes(body)))
                        .bodyValue(bytes(body))
                        .exchange(),
                HttpStatus.BAD_REQUEST);
        problem(
                deliver(
                        "workflow_run",
                        "{\"action\":\"completed\"}",
                        UUID.randomUUID().toString()),
                HttpStatus.BAD_REQUEST);
        assertThat(deliveries(repository)).isZero();
    }
}
