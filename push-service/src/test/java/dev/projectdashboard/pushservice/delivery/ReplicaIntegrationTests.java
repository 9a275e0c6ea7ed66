package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.security.DevTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * Replicas sharing the database and the streams: each delivery is made once whichever replica takes the event, and a
 * replica that stops mid-backoff or mid-attempt leaves its deliveries to another, which completes them.
 */
@LocalStackTest
class ReplicaIntegrationTests {

    private static final String ADMIN = DevTokens.adminToken("root");

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final WebhookSink sink = new WebhookSink();

    private String webhookId;

    @AfterEach
    void closeSink() {
        sink.close();
    }

    /** Deletes this test's webhook while a replica still runs, so that later tests' events do not reach it. */
    private void forgetWebhook(WebTestClient client) {
        client.delete()
                .uri("/api/v1/webhooks/" + webhookId)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .exchange()
                .expectStatus()
                .isNoContent();
    }

    @Test
    void twoReplicasDeliverEachEventOnce() {
        try (PushReplica one = PushReplica.start(Map.of());
                PushReplica two = PushReplica.start(Map.of())) {
            WebTestClient admin = one.client();
            register(admin, "/both");
            EventPublisher events = one.bean(EventPublisher.class);

            for (int i = 0; i < 40; i++) {
                publish(events, "T_R" + i + "_" + UUID.randomUUID());
            }

            await().atMost(WAIT).until(() -> sink.received().size() >= 40);
            List<String> ids = sink.received().stream()
                    .map(request -> request.header("webhook-id"))
                    .toList();
            assertThat(ids).hasSize(40).doesNotHaveDuplicates();
            forgetWebhook(admin);
        }
    }

    @Test
    void aReplicaStoppedMidBackoffLeavesTheRetryToTheNextOneWhichSendsItOnce() {
        sink.answer(WebhookSink.Answer.status(503));
        String taskId = "T_BACKOFF_" + UUID.randomUUID();
        try (PushReplica first = PushReplica.start(Map.of("dashboard.push.delivery.retry-delays", "3s,3s"))) {
            WebTestClient admin = first.client();
            register(admin, "/backoff");
            publish(first.bean(EventPublisher.class), taskId);
            await().atMost(WAIT).until(() -> sink.received().size() == 1);
            // the 503 is stored with its retry due in 3 s: stop this replica before then
            await().atMost(WAIT).until(() -> logs(admin, taskId) == 1);
        }
        try (PushReplica second = PushReplica.start(Map.of())) {
            WebTestClient admin = second.client();
            await().atMost(WAIT).until(() -> sink.received().size() == 2);
            await().atMost(WAIT).until(() -> logs(admin, taskId) == 2);
            assertThat(sink.received())
                    .extracting(request -> request.header("webhook-id"))
                    .containsOnly(sink.received().get(0).header("webhook-id"));
            JsonNode delivery =
                    get(admin, "/api/v1/push/deliveries?task_id=" + taskId).get(0);
            assertThat(delivery.get("status").asString()).isEqualTo("DELIVERED");
            assertThat(delivery.get("retry_count").asInt()).isEqualTo(1);
            forgetWebhook(admin);
        }
        assertThat(sink.received()).hasSize(2);
    }

    @Test
    void aReplicaStoppedMidAttemptLosesItsLeaseToAnotherWhichDelivers() {
        // the first attempt hangs past the replica's life; its lease then runs out
        sink.answer(new WebhookSink.Answer(200, Map.of(), Duration.ofSeconds(20)));
        String taskId = "T_LEASE_" + UUID.randomUUID();
        Map<String, String> shortLease = Map.of(
                "dashboard.push.delivery.lease",
                "3s",
                // a lease must outlast the longest wait for the endpoint plus the longest timeout
                "dashboard.push.delivery.endpoint-wait",
                "1s",
                "dashboard.push.webhooks.max-timeout",
                "1s",
                "dashboard.push.webhooks.default-timeout",
                "1s");
        try (PushReplica first = PushReplica.start(shortLease)) {
            WebTestClient admin = first.client();
            register(admin, "/lease");
            publish(first.bean(EventPublisher.class), taskId);
            await().atMost(WAIT).until(() -> sink.received().size() == 1);
        }
        try (PushReplica second = PushReplica.start(shortLease)) {
            WebTestClient admin = second.client();
            await().atMost(WAIT).until(() -> sink.received().size() == 2);
            await().atMost(WAIT).untilAsserted(() -> assertThat(get(admin, "/api/v1/push/deliveries?task_id=" + taskId)
                            .get(0)
                            .get("status")
                            .asString())
                    .isEqualTo("DELIVERED"));
            forgetWebhook(admin);
        }
    }

    private void register(WebTestClient client, String path) {
        JsonNode created = client.post()
                .uri("/api/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .bodyValue(Map.of("name", "replicas", "url", sink.url(path)))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        webhookId = created.get("id").asString();
    }

    private static void publish(EventPublisher events, String taskId) {
        events.publish(CloudEvent.of(
                        EventTypes.TASK_COMPLETED,
                        "/tests",
                        "task:" + taskId,
                        new TaskCompleted("alice", taskId, List.of(), 1.0, 0.1, null, null)))
                .block(Duration.ofSeconds(10));
    }

    private static long logs(WebTestClient client, String taskId) {
        return get(client, "/api/v1/push/logs?task_id=" + taskId).get("total").asLong();
    }

    private static JsonNode get(WebTestClient client, String path) {
        return client.get()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }
}
