package dev.projectdashboard.deploynotifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.deploynotifier.ingest.WebhookAuthenticator;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;

/**
 * The deployment webhook's payloads (docs/contracts.md, "Deployments"; fixtures in {@code source-002/}) through the real
 * endpoint: stored, queryable, on the stream; refusals store nothing.
 */
class DeploymentWebhookTests extends DeployNotifierTestSupport {

    private final String admin = DevTokens.adminToken("root");

    /** A fixture payload with its project and deployment id replaced, so tests sharing the database never meet. */
    static String payload(String name, String project, String deploymentId) {
        try (InputStream in = DeploymentWebhookTests.class.getResourceAsStream("/source-002/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("axi-star-cloud", project)
                    .replace("123456789", deploymentId);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode accepted(String body) {
        return accepted(postSigned(DEPLOYMENT_HOOK, body));
    }

    @Test
    void everySource002PayloadIsAcceptedQueryableAndPublishedInOrder() {
        String project = unique("axi");
        String deployment = unique("run");
        String stepCompleted = payload("step_started", project, deployment)
                .replace("\"step_started\"", "\"step_completed\"")
                .replace("\"step_status\": \"started\"", "\"step_status\": \"completed\"")
                .replace("\"timestamp\": \"2024-01-01T12:00:00.000Z\"", "\"timestamp\": \"2024-01-01T12:00:12.000Z\"")
                .replace("\"duration\": 0", "\"duration\": 12");

        JsonNode first = accepted(payload("step_started", project, deployment));
        assertThat(first.path("id").asString()).isNotBlank();
        assertThat(first.path("type").asString()).isEqualTo("step_started");
        assertThat(first.path("duplicate").asBoolean()).isFalse();
        accepted(stepCompleted);
        accepted(payload("log_entry", project, deployment));
        accepted(payload("log_batch", project, deployment));
        accepted(payload("metrics_update", project, deployment));
        JsonNode completed = accepted(payload("deployment_completed", project, deployment));
        assertThat(completed.path("deployment_id").asString()).isEqualTo(deployment);

        JsonNode detail = getJson("/api/v1/deployments/" + deployment, admin);
        assertThat(detail.path("project").asString()).isEqualTo(project);
        assertThat(detail.path("status").asString()).isEqualTo("success");
        assertThat(detail.path("duration").asLong()).isEqualTo(45);
        assertThat(detail.path("workflow_name").asString()).isEqualTo("deploy-project");
        assertThat(detail.path("workflow_id").asString()).isEqualTo("987654321");
        assertThat(detail.path("started_at").asString()).isEqualTo("2024-01-01T12:00:00Z");
        assertThat(detail.path("completed_at").asString()).isEqualTo("2024-01-01T12:01:00Z");
        assertThat(detail.path("steps")).hasSize(1);
        JsonNode step = detail.path("steps").get(0);
        assertThat(step.path("step_name").asString()).isEqualTo("部署验证");
        assertThat(step.path("status").asString()).isEqualTo("completed");
        assertThat(step.path("duration").asLong()).isEqualTo(12);
        assertThat(step.path("started_at").asString()).isEqualTo("2024-01-01T12:00:00Z");
        assertThat(step.path("completed_at").asString()).isEqualTo("2024-01-01T12:00:12Z");
        assertThat(detail.path("metrics").path("steps_count").asInt()).isEqualTo(5);

        JsonNode logs = getJson("/api/v1/deployments/" + deployment + "/logs", admin);
        assertThat(logs.path("items").valueStream().map(line -> line.path("message")
                        .asString()))
                .containsExactly("正在上传构建产物...", "日志1", "日志2");
        assertThat(logs.path("items").get(0).path("log_stream_id").asString())
                .isEqualTo("deployment_" + deployment + "_1704110400");

        List<JsonNode> events = streamEvents(deployment);
        assertThat(events)
                .extracting(event -> event.path("type").asString())
                .containsExactly(
                        "deployment.step_started",
                        "deployment.step_completed",
                        "deployment.log",
                        "deployment.log",
                        "deployment.log",
                        "deployment.metrics",
                        "deployment.completed");
        assertThat(events).allSatisfy(event -> {
            assertThat(event.path("source").asString()).isEqualTo("/deploy-notifier");
            assertThat(event.path("subject").asString()).isEqualTo("deployment:" + deployment);
            assertThat(event.path("data").path("project").asString()).isEqualTo(project);
        });
        JsonNode started = events.get(0).path("data");
        assertThat(started.path("step_name").asString()).isEqualTo("部署验证");
        assertThat(started.path("step_status").asString()).isEqualTo("started");
        assertThat(started.path("logs").asString()).isEqualTo("开始验证部署参数");
        assertThat(started.path("timestamp").asString()).isEqualTo("2024-01-01T12:00:00.000Z");
        JsonNode done = events.get(6).path("data");
        assertThat(done.path("status").asString()).isEqualTo("success");
        assertThat(done.path("duration").asLong()).isEqualTo(45);
        assertThat(done.path("started_at").asString()).isEqualTo("2024-01-01T12:00:15.000Z");
        assertThat(events.get(5)
                        .path("data")
                        .path("metrics")
                        .path("total_duration")
                        .asInt())
                .isEqualTo(45);
    }

    @Test
    void aFailedStepIsPublishedAsStepFailed() {
        String project = unique("axi");
        String deployment = unique("run");
        accepted(payload("step_started", project, deployment)
                .replace("\"step_started\"", "\"step_completed\"")
                .replace("\"step_status\": \"started\"", "\"step_status\": \"failed\""));

        assertThat(streamEvents(deployment))
                .extracting(event -> event.path("type").asString())
                .containsExactly("deployment.step_failed");
        JsonNode detail = getJson("/api/v1/deployments/" + deployment, admin);
        assertThat(detail.path("steps").get(0).path("status").asString()).isEqualTo("failed");
        assertThat(detail.path("status").asString()).isEqualTo("running");
    }

    @Test
    void theLegacyPayloadWithoutTypeIsACompletion() {
        String project = unique("axi");
        JsonNode answer = accepted(payload("legacy", project, "unused"));

        String deployment = answer.path("deployment_id").asString();
        assertThat(deployment).startsWith("legacy-");
        JsonNode detail = getJson("/api/v1/deployments/" + deployment, admin);
        assertThat(detail.path("status").asString()).isEqualTo("success");
        assertThat(detail.path("duration").asLong()).isEqualTo(45);
        assertThat(streamEvents(deployment))
                .extracting(event -> event.path("type").asString())
                .containsExactly("deployment.completed");
    }

    @Test
    void theTestPayloadIsAcknowledgedAndPublishesNothing() {
        String project = unique("probe");
        String body = payload("test", "unused", "unused").replace("\"test\"}", "\"" + project + "\"}");
        JsonNode answer = accepted(body);

        assertThat(answer.path("type").asString()).isEqualTo("test");
        assertThat(answer.path("events").asInt()).isZero();
        // a notification's events are on the stream before its 202: once a real one sent after the test is there,
        // anything the test had published would be there too
        String deployment = unique("run");
        accepted(payload("log_entry", project, deployment));
        assertThat(streamEvents(deployment)).hasSize(1);
        assertThat(streamEntriesMentioning(project)).isOne();
    }

    @Test
    void aRedeliveryIsStoredAndPublishedOnce() {
        String project = unique("axi");
        String deployment = unique("run");
        String body = payload("log_entry", project, deployment);

        JsonNode first = accepted(body);
        JsonNode again = accepted(body);

        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(count("deployment_log", project)).isOne();
        assertThat(deliveries(project)).isOne();
        assertThat(streamEvents(deployment)).hasSize(1);
        // marked published shortly after (in a batch), so the relay will not send it again
        await().atMost(Duration.ofSeconds(10))
                .until(() -> database.sql("select count(*) from event_outbox o join"
                                        + " webhook_delivery d using (delivery_key) where d.project = :project"
                                        + " and o.published_at is null")
                                .bind("project", project)
                                .map(row -> row.get(0, Long.class))
                                .one()
                                .block()
                        == 0);

        // a GitHub-style delivery id decides on its own: the same id with the same body is a redelivery
        String other = payload("log_entry", project, deployment).replace("正在上传构建产物...", "second line");
        String signature = WebhookAuthenticator.signatureHeader(SECRET, bytes(other));
        for (int i = 0; i < 2; i++) {
            client.post()
                    .uri(DEPLOYMENT_HOOK)
                    .contentType(MediaType.APPLICATION_JSON)
                    .header(WebhookAuthenticator.SIGNATURE_HEADER, signature)
                    .header("X-GitHub-Delivery", "delivery-" + deployment)
                    .bodyValue(bytes(other))
                    .exchange()
                    .expectStatus()
                    .isAccepted();
        }
        assertThat(count("deployment_log", project)).isEqualTo(2);
        assertThat(streamEvents(deployment)).hasSize(2);
    }

    @Test
    void aDeliveryIdUsedAgainWithAnotherBodyIsAnsweredWithWhatTheFirstStored() {
        String project = unique("axi");
        String deployment = unique("run");
        String delivery = "delivery-" + deployment;
        JsonNode first = accepted(withDelivery(payload("step_started", project, deployment), delivery));

        String otherProject = unique("axi");
        String otherDeployment = unique("run");
        JsonNode again = accepted(withDelivery(payload("log_batch", otherProject, otherDeployment), delivery));

        answeredAsTheFirst(again, first, "step_started", project, deployment, 1);
        assertThat(count("deployment_log", otherProject)).isZero();
        assertThat(streamEvents(otherDeployment)).isEmpty();
    }

    private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec withDelivery(
            String body, String delivery) {
        return client.post()
                .uri(DEPLOYMENT_HOOK)
                .contentType(MediaType.APPLICATION_JSON)
                .header(
                        WebhookAuthenticator.SIGNATURE_HEADER,
                        WebhookAuthenticator.signatureHeader(SECRET, bytes(body)))
                .header("X-GitHub-Delivery", delivery)
                .bodyValue(bytes(body))
                .exchange();
    }

    @Test
    void wrongOrMissingCredentialsAre401AndStoreNothing() {
        String project = unique("axi");
        String body = payload("step_started", project, unique("run"));

        for (String signature : List.of(
                WebhookAuthenticator.signatureHeader("another-secret", bytes(body)),
                WebhookAuthenticator.signatureHeader(SECRET, bytes(body + " ")),
                "sha256=not-hex",
                "sha1=" + "0".repeat(40))) {
            problem(post(DEPLOYMENT_HOOK, body, signature), HttpStatus.UNAUTHORIZED);
        }
        problem(post(DEPLOYMENT_HOOK, body, null), HttpStatus.UNAUTHORIZED);
        problem(
                client.post()
                        .uri(DEPLOYMENT_HOOK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .headers(headers -> headers.setBearerAuth("not-a-configured-token"))
                        .bodyValue(bytes(body))
                        .exchange(),
                HttpStatus.UNAUTHORIZED);

        assertThat(deliveries(project)).isZero();
        assertThat(count("deployment", project)).isZero();
    }

    @Test
    void aBearerTokenOrTheProjectsOwnSecretAlsoAuthenticate() {
        String project = unique("axi");
        client.post()
                .uri(DEPLOYMENT_HOOK)
                .contentType(MediaType.APPLICATION_JSON)
                .headers(headers -> headers.setBearerAuth("ci-token-2"))
                .bodyValue(bytes(payload("step_started", project, unique("run"))))
                .exchange()
                .expectStatus()
                .isAccepted();

        // own-secret-project has its own key; it signs that project's payloads only
        String own = payload("step_started", "own-secret-project", unique("run"));
        post(DEPLOYMENT_HOOK, own, WebhookAuthenticator.signatureHeader("project-own-secret", bytes(own)))
                .expectStatus()
                .isAccepted();
        String foreign = payload("step_started", project, unique("run"));
        problem(
                post(
                        DEPLOYMENT_HOOK,
                        foreign,
                        WebhookAuthenticator.signatureHeader("project-own-secret", bytes(foreign))),
                HttpStatus.UNAUTHORIZED);
        assertThat(deliveries(project)).isOne();
    }

    @Test
    void missingFieldsAndWrongTypesAre400ListingEveryFieldAndStoreNothing() {
        String project = unique("axi");
        JsonNode problem = problem(
                postSigned(
                        DEPLOYMENT_HOOK,
                        "{\"type\":\"step_started\",\"project\":\"" + project + "\",\"duration\":\"abc\","
                                + "\"step_status\":\"exploded\",\"timestamp\":\"yesterday\"}"),
                HttpStatus.BAD_REQUEST);
        assertThat(problem.path("errors").valueStream().map(error -> error.path("field")
                        .asString()))
                .containsExactlyInAnyOrder("deployment_id", "step_name", "step_status", "duration", "timestamp");

        JsonNode wrongType = problem(
                postSigned(
                        DEPLOYMENT_HOOK,
                        "{\"type\":\"deployment_completed\",\"project\":[\"" + project + "\"],"
                                + "\"deployment_id\":{},\"status\":\"exploded\"}"),
                HttpStatus.BAD_REQUEST);
        assertThat(wrongType.path("errors").valueStream().map(error -> error.path("field")
                        .asString()))
                .containsExactlyInAnyOrder("project", "deployment_id", "status");

        JsonNode batch = problem(
                postSigned(
                        DEPLOYMENT_HOOK,
                        "{\"type\":\"log_batch\",\"project\":\"" + project + "\",\"deployment_id\":\"d1\","
                                + "\"logs\":[{\"message\":\"ok\"},{\"level\":\"loud\"},7]}"),
                HttpStatus.BAD_REQUEST);
        assertThat(batch.path("errors").valueStream().map(error -> error.path("field")
                        .asString()))
                .containsExactlyInAnyOrder("logs[1].message", "logs[1].level", "logs[2]");

        JsonNode unknown = problem(
                postSigned(DEPLOYMENT_HOOK, "{\"type\":\"explode\",\"project\":\"" + project + "\"}"),
                HttpStatus.BAD_REQUEST);
        assertThat(unknown.path("errors").get(0).path("field").asString()).isEqualTo("type");
        problem(postSigned(DEPLOYMENT_HOOK, "{not json"), HttpStatus.BAD_REQUEST);
        problem(postSigned(DEPLOYMENT_HOOK, "[1,2]"), HttpStatus.BAD_REQUEST);

        assertThat(deliveries(project)).isZero();
        assertThat(count("deployment", project)).isZero();
    }

    static JsonNode problem(
            org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec response, HttpStatus status) {
        byte[] body = response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.path("status").asInt()).isEqualTo(status.value());
        return problem;
    }
}
