package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.security.DevTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * push-service as its own process, killed with SIGKILL during a backoff: nothing in memory survives, and the next
 * process makes the retry from what PostgreSQL holds — the delivery arrives once more, and only once.
 */
@LocalStackTest
class KillIntegrationTests {

    private static final String ADMIN = DevTokens.adminToken("root");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration START = Duration.ofSeconds(90);

    private final WebhookSink sink = new WebhookSink();

    private final HttpClient http = HttpClient.newHttpClient();

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(Process::destroyForcibly);
        sink.close();
    }

    @Test
    void aProcessKilledMidBackoffLosesNothingAndTheNextSendsTheRetryOnce() throws Exception {
        sink.answer(WebhookSink.Answer.status(503));
        String taskId = "T_KILL_" + CloudEvent.newId().substring(0, 8);

        int firstPort = freePort();
        Process first = start(firstPort, "first");
        String webhookId = register(firstPort);
        publish(taskId);
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 1);
        // the 503 and its retry (due in 4 s) are stored: kill the process during the backoff
        await().atMost(Duration.ofSeconds(30))
                .until(() -> total(firstPort, "/api/v1/push/logs?task_id=" + taskId) == 1);
        first.destroyForcibly().waitFor();

        int secondPort = freePort();
        start(secondPort, "second");
        await().atMost(Duration.ofSeconds(30)).until(() -> sink.received().size() == 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> get(secondPort, "/api/v1/push/deliveries?task_id=" + taskId)
                .get(0)
                .get("status")
                .asString()
                .equals("DELIVERED"));

        assertThat(sink.received()).hasSize(2);
        assertThat(sink.received().get(1).header("webhook-id"))
                .isEqualTo(sink.received().get(0).header("webhook-id"));
        delete(secondPort, webhookId);
    }

    private Process start(int port, String name) throws IOException {
        Path log = Files.createDirectories(Path.of("target", "kill-tests")).resolve(name + ".log");
        String java = ProcessHandle.current().info().command().orElse("java");
        ProcessBuilder builder = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.projectdashboard.pushservice.PushServiceApplication",
                        "--server.port=" + port,
                        "--dashboard.push.delivery.retry-delays=4s",
                        "--dashboard.push.delivery.poll-interval=200ms")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(LocalStackExtension.localStack().environment());
        Process process = builder.start();
        processes.add(process);
        await().atMost(START).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("push-service exited at start; see " + log.toAbsolutePath());
            }
            return status(port, "/actuator/health/readiness") == 200;
        });
        return process;
    }

    private String register(int port) throws Exception {
        String body = JSON.writeValueAsString(Map.of("name", "killed", "url", sink.url("/killed")));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks"))
                        .header("Authorization", "Bearer " + ADMIN)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        return JSON.readTree(response.body()).get("id").asString();
    }

    private static void publish(String taskId) {
        RedisClient redis = RedisClient.create(LocalStackExtension.localStack().redisUri());
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            CloudEvent<TaskCompleted> event = CloudEvent.of(
                    EventTypes.TASK_COMPLETED,
                    "/tests",
                    "task:" + taskId,
                    new TaskCompleted("alice", taskId, List.of(), 1.0, 0.1, null, null));
            connection.sync().xadd(Streams.TASKS, Map.of(Streams.EVENT_FIELD, new EventCodec().encode(event)));
        } finally {
            redis.shutdown();
        }
    }

    private JsonNode get(int port, String path) throws Exception {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer " + ADMIN)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private long total(int port, String path) throws Exception {
        return get(port, path).get("total").asLong();
    }

    private int status(int port, String path) {
        try {
            return http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException notYet) {
            return 0;
        }
    }

    private void delete(int port, String id) throws Exception {
        http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/webhooks/" + id))
                        .header("Authorization", "Bearer " + ADMIN)
                        .DELETE()
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
