package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.eventbus.payload.TaskFailed;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * push-service against the local stack's PostgreSQL and Redis, webhooks registered through its API and pointing at
 * {@link WebhookSink}s on loopback, events published on the real streams. Retries are a second apart here.
 */
@LocalStackTest
@DevelopmentSecrets
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dashboard.push.delivery.retry-delays=1s,1s",
            "dashboard.push.delivery.poll-interval=200ms",
            "dashboard.push.delivery.breaker-pause=2s",
            "dashboard.push.webhooks.cache-ttl=200ms",
            "dashboard.push.hosts.sink.test=127.0.0.1",
            "dashboard.push.hosts.internal.test=10.1.2.3"
        })
@AutoConfigureWebTestClient(timeout = "PT30S")
abstract class PushTestSupport {

    static final String ADMIN = DevTokens.adminToken("root");

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** Source 003's template example, as written there. */
    static final String SOURCE_TEMPLATE =
            """
            {
              "task_id": "{{task_id}}",
              "data": {{result_json}},
              "file_url": "{{file_url}}",
              "metadata": {{meta_info}}
            }""";

    @Autowired
    WebTestClient client;

    @Autowired
    EventPublisher events;

    final WebhookSink sink = new WebhookSink();

    /** One for the whole JVM: the Spring context (cached across test classes) keeps its URL. */
    static final FileServiceStub FILE_SERVICE = new FileServiceStub();

    @DynamicPropertySource
    static void fileService(DynamicPropertyRegistry registry) {
        registry.add("dashboard.push.file-service-url", FILE_SERVICE::url);
    }

    private final List<String> registered = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void noWebhooksOfOtherTests() {
        // another test class (another replica on the same database) may have left some behind
        for (JsonNode webhook : get("/api/v1/webhooks?limit=500").get("webhooks")) {
            registered.add(webhook.get("id").asString());
        }
        closeSinkAndForgetWebhooksOnly();
    }

    @AfterEach
    void closeSinkAndForgetWebhooks() {
        closeSinkAndForgetWebhooksOnly();
        sink.close();
    }

    private void closeSinkAndForgetWebhooksOnly() {
        // a webhook of an earlier test would get every later test's events
        registered.forEach(id -> client.delete()
                .uri("/api/v1/webhooks/" + id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .exchange()
                .expectStatus()
                .value(status ->
                        org.assertj.core.api.Assertions.assertThat(status).isIn(204, 404)));
        registered.clear();
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Registers a webhook; the answer (with the secret, shown this once). */
    JsonNode register(Map<String, Object> body) {
        JsonNode created = client.post()
                .uri("/api/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .bodyValue(body)
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        registered.add(created.get("id").asString());
        return created;
    }

    JsonNode get(String path) {
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

    JsonNode post(String path, Object body) {
        WebTestClient.RequestBodySpec request =
                client.post().uri(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN);
        return (body == null ? request : request.bodyValue(body))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    /** Publishes source 003's example task as {@code task.completed} and returns the event id. */
    String completed(String taskId) {
        return completed(taskId, List.of());
    }

    /** The same, with these {@code result_files}. */
    String completed(String taskId, List<String> resultFiles) {
        JsonNode result = JSON.readTree("{\"invoice_number\": \"INV-2025-001\", \"amount\": 1000.00}");
        JsonNode meta = JSON.readTree("{\"file_name\": \"invoice.pdf\", \"page_count\": 3, \"rule_id\": \"RULE_001\"}");
        CloudEvent<TaskCompleted> event = CloudEvent.of(
                EventTypes.TASK_COMPLETED,
                "/tests",
                "task:" + taskId,
                new TaskCompleted("alice", taskId, resultFiles, 12.5, 0.3, result, meta));
        events.publish(event).block(Duration.ofSeconds(10));
        return event.id();
    }

    String failed(String taskId) {
        CloudEvent<TaskFailed> event = CloudEvent.of(
                EventTypes.TASK_FAILED, "/tests", "task:" + taskId, new TaskFailed("alice", taskId, "boom", null));
        events.publish(event).block(Duration.ofSeconds(10));
        return event.id();
    }

    /** What Prometheus would scrape now. */
    String prometheus() {
        return client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }
}
