package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.test.StreamContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Source 003's push flow end to end: an event on the stream → the webhook's endpoint (a real HTTP server on
 * loopback), rendered, signed and authenticated; retries on source 003's classification, the dead-letter queue and a
 * manual re-push; the push log.
 */
class DeliveryIntegrationTests extends PushTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aCompletedTaskIsDeliveredRenderedSignedAndAuthenticatedAsSource003Describes() throws Exception {
        JsonNode webhook = register(Map.of(
                "name",
                "erp",
                "url",
                sink.url("/hook"),
                "body_template",
                SOURCE_TEMPLATE,
                "auth_type",
                "bearer",
                "auth_config",
                Map.of("token", "tok-123")));
        String secret = webhook.get("secret").asString();
        String webhookId = webhook.get("id").asString();
        String taskId = unique("T");

        completed(taskId);

        await().atMost(WAIT).until(() -> sink.received().size() == 1);
        WebhookSink.Received request = sink.received().get(0);
        JsonNode body = JSON.readTree(request.body());
        assertThat(body.get("task_id").asString()).isEqualTo(taskId);
        assertThat(body.get("data").get("invoice_number").asString()).isEqualTo("INV-2025-001");
        assertThat(body.get("data").get("amount").decimalValue()).isEqualByComparingTo("1000.00");
        assertThat(body.get("metadata").get("page_count").asInt()).isEqualTo(3);
        assertThat(body.get("file_url").asString()).isEmpty();
        assertThat(request.header("Content-Type")).startsWith("application/json");
        assertThat(request.header("User-Agent")).contains("ProjectDashboard-Push");
        assertThat(request.header("Authorization")).isEqualTo("Bearer tok-123");
        // source 003's scheme, computed here with the JDK alone: HMAC-SHA256 keyed with the secret's text
        String expected = "sha256=" + hmacHex(secret, request.body());
        assertThat(request.header("X-IDP-Signature")).isEqualTo(expected);
        assertThat(request.header("X-Dashboard-Signature")).isEqualTo(expected);
        assertThat(request.header("X-IDP-Timestamp")).isEqualTo(request.header("webhook-timestamp"));
        assertThat(request.header("webhook-id")).startsWith("msg_");
        assertThat(request.header("webhook-signature")).startsWith("v1,");

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode logs = get("/api/v1/push/logs?task_id=" + taskId + "&webhook_id=" + webhookId);
            assertThat(logs.get("total").asLong()).isEqualTo(1);
            JsonNode log = logs.get("logs").get(0);
            assertThat(log.get("success").asBoolean()).isTrue();
            assertThat(log.get("http_status").asInt()).isEqualTo(200);
            assertThat(log.get("retry_count").asInt()).isZero();
            assertThat(log.get("request_body").asString()).isEqualTo(request.body());
            assertThat(log.get("request_headers").get("Authorization").asString())
                    .isEqualTo("[redacted]");
            assertThat(log.get("response_body").asString()).isEqualTo("{\"ok\":true}");
        });
        JsonNode deliveries = get("/api/v1/push/deliveries?task_id=" + taskId);
        assertThat(deliveries).hasSize(1);
        assertThat(deliveries.get(0).get("status").asString()).isEqualTo("DELIVERED");
        assertThat(deliveries.get(0).get("message_id").asString()).isEqualTo(request.header("webhook-id"));
    }

    @Test
    void aFailingEndpointIsRetriedOnScheduleThenDeadLetteredAndARepushDeliversWithTheSameId() {
        sink.otherwise(WebhookSink.Answer.status(500));
        JsonNode webhook = register(Map.of("name", "flaky", "url", sink.url("/flaky")));
        String webhookId = webhook.get("id").asString();
        String taskId = unique("T");

        completed(taskId);

        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/api/v1/push/dlq?webhook_id=" + webhookId)
                        .get("total")
                        .asLong())
                .isEqualTo(1));
        List<WebhookSink.Received> attempts = sink.received();
        // the first attempt and the schedule's two retries, a second apart at the least
        assertThat(attempts).hasSize(3);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(Duration.between(
                            attempts.get(i - 1).at(), attempts.get(i).at()))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(attempts)
                .extracting(attempt -> attempt.header("webhook-id"))
                .containsOnly(attempts.get(0).header("webhook-id"));
        JsonNode dead = get("/api/v1/push/dlq?webhook_id=" + webhookId)
                .get("deliveries")
                .get(0);
        assertThat(dead.get("status").asString()).isEqualTo("PUSH_FAILED");
        assertThat(dead.get("task_id").asString()).isEqualTo(taskId);
        assertThat(dead.get("last_http_status").asInt()).isEqualTo(500);
        assertThat(dead.get("retry_count").asInt()).isEqualTo(2);
        JsonNode logs = get("/api/v1/push/logs?task_id=" + taskId + "&webhook_id=" + webhookId);
        assertThat(logs.get("logs"))
                .extracting(log -> log.get("retry_count").asInt())
                .containsExactlyInAnyOrder(0, 1, 2);

        sink.otherwise(WebhookSink.Answer.status(200));
        JsonNode repushed = post("/api/v1/push/dlq/" + taskId + "/retry?webhook_id=" + webhookId, null);
        assertThat(repushed.get("success").asBoolean()).isTrue();
        assertThat(repushed.get("repushed").asLong()).isEqualTo(1);

        await().atMost(WAIT).until(() -> sink.received().size() == 4);
        assertThat(sink.received().get(3).header("webhook-id"))
                .isEqualTo(attempts.get(0).header("webhook-id"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(get("/api/v1/push/deliveries?task_id=" + taskId)
                        .get(0)
                        .get("status")
                        .asString())
                .isEqualTo("DELIVERED"));
        assertThat(get("/api/v1/push/dlq?webhook_id=" + webhookId).get("total").asLong())
                .isZero();
    }

    @Test
    void aClientErrorIsNotRetriedAndARedirectIsNotFollowed() {
        sink.answer(
                WebhookSink.Answer.status(400),
                new WebhookSink.Answer(302, Map.of("Location", "http://169.254.169.254/latest"), Duration.ZERO));
        String webhookId = register(Map.of("name", "strict", "url", sink.url("/strict")))
                .get("id")
                .asString();
        String first = unique("T");
        String second = unique("T");

        completed(first);
        await().atMost(WAIT)
                .until(() -> get("/api/v1/push/dlq?webhook_id=" + webhookId)
                                .get("total")
                                .asLong()
                        == 1);
        completed(second);
        await().atMost(WAIT)
                .until(() -> get("/api/v1/push/dlq?webhook_id=" + webhookId)
                                .get("total")
                                .asLong()
                        == 2);

        // dead-lettered after one attempt each: no retry of a 4xx, and the 302's Location never asked
        assertThat(sink.received()).hasSize(2);
        assertThat(get("/api/v1/push/logs?task_id=" + second + "&webhook_id=" + webhookId)
                        .get("logs")
                        .get(0)
                        .get("http_status")
                        .asInt())
                .isEqualTo(302);

        // both back through the bulk re-push of the webhook's dead letters, now that the endpoint accepts them
        JsonNode repushed =
                post("/api/v1/push/dlq/retry", Map.of("webhook_id", webhookId, "event_type", "task.completed"));
        assertThat(repushed.get("repushed").asLong()).isEqualTo(2);
        await().atMost(WAIT).until(() -> sink.received().size() == 4);
        assertThat(sink.received().subList(2, 4))
                .extracting(request -> request.header("webhook-id"))
                .containsExactlyInAnyOrderElementsOf(sink.received().subList(0, 2).stream()
                        .map(request -> request.header("webhook-id"))
                        .toList());
    }

    @Test
    void tooManyRequestsWaitsForRetryAfter() {
        sink.answer(new WebhookSink.Answer(429, Map.of("Retry-After", "3"), Duration.ZERO));
        register(Map.of("name", "busy", "url", sink.url("/busy")));

        completed(unique("T"));

        await().atMost(WAIT).until(() -> sink.received().size() == 2);
        List<WebhookSink.Received> attempts = sink.received();
        assertThat(Duration.between(attempts.get(0).at(), attempts.get(1).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(2900));
    }

    @Test
    void goneDisablesTheWebhook() {
        sink.otherwise(WebhookSink.Answer.status(410));
        String webhookId = register(Map.of("name", "gone", "url", sink.url("/gone")))
                .get("id")
                .asString();

        completed(unique("T"));

        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode webhook = get("/api/v1/webhooks/" + webhookId);
            assertThat(webhook.get("enabled").asBoolean()).isFalse();
            assertThat(webhook.get("disabled_reason").asString()).contains("410");
        });
        assertThat(sink.received()).hasSize(1);
    }

    @Test
    void onlyTheEventTypesAndSubjectsAWebhookAsksForAreDelivered() {
        String mine = unique("T_MINE");
        register(Map.of(
                "name",
                "failures of mine",
                "url",
                sink.url("/mine"),
                "event_types",
                List.of("task.failed"),
                "subject_prefix",
                "task:" + mine));

        completed(mine);
        failed(unique("T_OTHER"));
        failed(mine);

        await().atMost(WAIT).until(() -> !sink.received().isEmpty());
        assertThat(sink.received()).hasSize(1);
        assertThat(sink.received().get(0).body()).contains(mine).contains("task.failed");
    }

    @Test
    void anEndpointThatHangsDoesNotHoldUpAHealthyOne() {
        WebhookSink slow = new WebhookSink().otherwise(new WebhookSink.Answer(200, Map.of(), Duration.ofSeconds(30)));
        try (slow) {
            register(Map.of("name", "slow", "url", slow.url("/slow"), "timeout", 8));
            register(Map.of("name", "fast", "url", sink.url("/fast")));

            for (int i = 0; i < 10; i++) {
                completed(unique("T"));
            }

            // all ten reach the healthy endpoint while the hanging one still holds its first attempts open
            await().atMost(Duration.ofSeconds(7)).until(() -> sink.received().size() == 10);
            assertThat(slow.received()).isNotEmpty();
        }
    }

    @Test
    void fileUrlIsTheTasksFirstResultFilePresignedForAnHourAndEmptyWhenItHasNone() {
        register(Map.of("name", "files", "url", sink.url("/files"), "body_template", SOURCE_TEMPLATE));
        String withFile = unique("T");
        String without = unique("T");

        completed(withFile, List.of("frame_001.png", "frame_002.png"));
        completed(without, List.of("missing.png"));

        await().atMost(WAIT).until(() -> sink.received().size() == 2);
        Map<String, String> fileUrls = new java.util.HashMap<>();
        for (WebhookSink.Received request : sink.received()) {
            JsonNode body = JSON.readTree(request.body());
            fileUrls.put(body.get("task_id").asString(), body.get("file_url").asString());
        }
        assertThat(fileUrls)
                .containsEntry(withFile, "http://files.example/" + withFile + "/frame_001.png?expires=3600")
                .containsEntry(without, "");
    }

    @Test
    void whileFileServiceIsDownTheAttemptWaitsWithoutSpendingARetry() {
        FILE_SERVICE.unavailable(true);
        try {
            register(Map.of("name", "files", "url", sink.url("/waits"), "body_template", SOURCE_TEMPLATE));
            String taskId = unique("T");
            completed(taskId, List.of("frame_009.png"));
            await().atMost(WAIT).until(() -> FILE_SERVICE.requests().stream()
                    .anyMatch(request -> request.path("task_id").asString().equals(taskId)));
            assertThat(sink.received()).isEmpty();
        } finally {
            FILE_SERVICE.unavailable(false);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
        assertThat(sink.received().get(0).header("webhook-id")).startsWith("msg_");
        assertThat(JSON.readTree(sink.received().get(0).body()).get("file_url").asString())
                .contains("frame_009.png");
    }

    @Test
    void everyOutcomeIsAnnouncedOnTheWebhooksStreamAndCounted() {
        sink.answer(WebhookSink.Answer.status(500), WebhookSink.Answer.status(200));
        String webhookId = register(Map.of("name", "announced", "url", sink.url("/announced")))
                .get("id")
                .asString();
        String taskId = unique("T");

        completed(taskId);

        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(StreamContents.withSubject(Streams.WEBHOOKS, "task:" + taskId).stream()
                                .map(event -> event.get("type").asString()))
                        .containsExactly("webhook.failed", "webhook.delivered"));
        JsonNode delivered = StreamContents.withSubject(Streams.WEBHOOKS, "task:" + taskId)
                .get(1)
                .get("data");
        assertThat(delivered.get("webhook_id").asString()).isEqualTo(webhookId);
        assertThat(delivered.get("http_status").asInt()).isEqualTo(200);
        assertThat(delivered.get("retry_count").asInt()).isEqualTo(1);
        String metrics = prometheus();
        assertThat(metrics.lines()
                        .filter(line -> line.startsWith("push_attempts_total{")
                                && line.contains("webhook=\"" + webhookId + "\"")))
                .anyMatch(line -> line.contains("outcome=\"delivered\"") && line.endsWith(" 1.0"))
                .anyMatch(line -> line.contains("outcome=\"retry\"") && line.endsWith(" 1.0"));
        assertThat(metrics)
                .contains("push_delivery_latency_seconds_bucket")
                .contains("push_dlq_size")
                .contains("resilience4j_circuitbreaker_state");
    }

    @Test
    void anEndpointThatKeepsFailingIsPausedAndProbedInsteadOfHammered() {
        sink.otherwise(WebhookSink.Answer.status(503));
        register(Map.of("name", "down", "url", sink.url("/down"), "retry_delays", List.of(1, 1, 1, 1, 1, 1)));

        for (int i = 0; i < 8; i++) {
            completed(unique("T"));
        }

        // five failures open the breaker (dashboard.push.delivery.breaker-failures); the rest wait for its pause
        await().atMost(WAIT).until(() -> sink.received().size() >= 5);
        int atOpening = sink.received().size();
        await().atMost(WAIT).until(() -> sink.received().size() > atOpening);
        List<WebhookSink.Received> requests = sink.received();
        Duration pause = Duration.between(
                requests.get(atOpening - 1).at(), requests.get(atOpening).at());
        assertThat(pause).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void whatArrivesWhileAnEndpointIsPausedWaitsUntouchedAndGoesOnceItsProbeSucceeds() {
        sink.answer(
                WebhookSink.Answer.status(503),
                WebhookSink.Answer.status(503),
                WebhookSink.Answer.status(503),
                WebhookSink.Answer.status(503),
                WebhookSink.Answer.status(503));
        String webhookId = register(Map.of("name", "recovering", "url", sink.url("/recovering")))
                .get("id")
                .asString();
        for (int i = 0; i < 5; i++) {
            completed(unique("T"));
        }
        await().atMost(WAIT).until(() -> sink.received().size() == 5);
        Instant opened = sink.received().get(4).at();

        List<String> whilePaused = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            whilePaused.add(unique("T_PAUSED"));
            completed(whilePaused.get(i));
        }

        // the five retried and the ten new ones each arrive once, none before the pause (2 s) has ended
        await().atMost(WAIT).until(() -> sink.received().size() == 20);
        List<WebhookSink.Received> afterOpening = sink.received().subList(5, 20);
        assertThat(afterOpening).allSatisfy(request -> assertThat(Duration.between(opened, request.at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500)));
        assertThat(afterOpening)
                .extracting(request -> request.header("webhook-id"))
                .doesNotHaveDuplicates();
        // each delivery that arrived while paused was attempted exactly once: given back without an attempt
        for (String taskId : whilePaused) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                            get("/api/v1/push/logs?task_id=" + taskId + "&webhook_id=" + webhookId)
                                    .get("logs"))
                    .singleElement()
                    .satisfies(log -> assertThat(log.get("http_status").asInt()).isEqualTo(200)));
        }
        String metrics = prometheus();
        assertThat(metrics.lines().filter(line -> line.contains("webhook=\"" + webhookId + "\"")))
                .anyMatch(line -> line.startsWith("push_endpoint_in_flight{") && line.endsWith(" 0.0"))
                .anyMatch(line -> line.startsWith("push_endpoint_waiting{") && line.endsWith(" 0.0"));
    }

    @Test
    void aRateLimitedWebhookGetsNoMoreThanItsRateAndEverythingStillArrives() {
        register(Map.of("name", "slow consumer", "url", sink.url("/limited"), "rate_limit", 2));

        for (int i = 0; i < 6; i++) {
            completed(unique("T"));
        }

        await().atMost(WAIT).until(() -> sink.received().size() == 6);
        List<WebhookSink.Received> requests = sink.received();
        // two a second: six take at least two more seconds after the first two
        assertThat(Duration.between(requests.get(0).at(), requests.get(5).at()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1800));
        assertThat(requests).extracting(request -> request.header("webhook-id")).doesNotHaveDuplicates();
    }

    private static String hmacHex(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }
}
