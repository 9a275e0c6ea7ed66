package dev.projectdashboard.realtimeservice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.test.StreamContents;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server API on the whole application against the local stack's Redis: who may call it, what lands on which
 * stream (read back from Redis), broadcast idempotency, the shapes of stats, presence and history, and 503 while
 * Redis is down.
 */
@LocalStackTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // active users reach the stats with each replica heartbeat: a short one keeps the stats test short
        properties = "dashboard.realtime.hub.heartbeat-interval=1s")
@AutoConfigureWebTestClient(timeout = "PT30S")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DevelopmentSecrets
class RealtimeApiIntegrationTests {

    private static final String API = "/api/v1/realtime";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static RedisClient redis;

    @Autowired
    private WebTestClient client;

    @LocalServerPort
    private int port;

    @BeforeAll
    static void redisClient() {
        redis = RedisClient.create(LocalStackExtension.localStack().redisUri());
    }

    @AfterAll
    static void closeRedis() {
        redis.shutdown();
    }

    /** The spec itself, with the service API key (the builders mutate in place and return themselves). */
    private static <S extends WebTestClient.RequestHeadersSpec<?>> S withApiKey(S request) {
        request.header("X-Api-Key", DevDefaults.API_KEY);
        return request;
    }

    @Test
    void onlyServicesAndAdminsMayCallTheServerApi() {
        String user = DevTokens.userToken("plain-user", List.of("user"), List.of("*"), List.of("*"));
        String admin = DevTokens.adminToken("root");

        client.get()
                .uri(API + "/stats")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.get()
                .uri(API + "/stats")
                .header("X-Api-Key", "wrong-key")
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client.get()
                .uri(API + "/stats")
                .headers(h -> h.setBearerAuth(user))
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post()
                .uri(API + "/users/someone/disconnect")
                .headers(h -> h.setBearerAuth(user))
                .exchange()
                .expectStatus()
                .isForbidden();
        client.post()
                .uri(API + "/publish")
                .headers(h -> h.setBearerAuth(user))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of())
                .exchange()
                .expectStatus()
                .isForbidden();
        // history and presence say what happens in channels: not even for a user who may watch every project
        for (String read : List.of("/history/deployment:d-1", "/presence/deployment:d-1", "/history/project:p")) {
            client.get()
                    .uri(API + read)
                    .headers(h -> h.setBearerAuth(user))
                    .exchange()
                    .expectStatus()
                    .isForbidden();
        }

        withApiKey(client.get().uri(API + "/stats")).exchange().expectStatus().isOk();
        client.get()
                .uri(API + "/stats")
                .headers(h -> h.setBearerAuth(admin))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void statsCountConnectionsAcrossTheCluster() {
        JsonNode shape = stats();
        assertThat(shape.path("total_connections").isNumber()).isTrue();
        assertThat(shape.path("total_users").isNumber()).isTrue();
        assertThat(shape.path("active_users").isArray()).isTrue();
        assertThat(shape.path("active_user_count").isNumber()).isTrue();
        assertThat(shape.path("active_users_truncated").isBoolean()).isTrue();
        assertThat(shape.path("replicas").asInt()).isGreaterThanOrEqualTo(1);

        // other tests' connections may close meanwhile: only lower bounds hold while these two are open
        String userId = "stats-" + shortId();
        String token = DevTokens.userToken(userId, List.of("user"));
        try (WsClient first = WsClient.open(port, token);
                WsClient second = WsClient.open(port, token)) {
            await().atMost(WAIT).untilAsserted(() -> {
                JsonNode stats = stats();
                assertThat(stats.path("total_connections").asLong()).isGreaterThanOrEqualTo(2);
                assertThat(stats.path("total_users").asLong()).isGreaterThanOrEqualTo(1);
            });
        }
    }

    @Test
    void statsListActiveUsersAsSource000DoesAndSayWhenTheLimitCutTheList() {
        String first = "active-a-" + shortId();
        String second = "active-b-" + shortId();
        try (WsClient one = WsClient.open(port, DevTokens.userToken(first, List.of("user")));
                WsClient two = WsClient.open(port, DevTokens.userToken(second, List.of("user")))) {
            // the native contract (docs/contracts.md): {"total_connections": 5, "total_users": 3, "active_users":
            // ["user1", "user2", "user3"]}
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                            stats().path("active_users").valueStream().map(JsonNode::asString))
                    .contains(first, second));
            JsonNode all = stats();
            assertThat(all.path("active_users_truncated").asBoolean()).isFalse();
            assertThat(all.path("active_user_count").asLong())
                    .isEqualTo(all.path("active_users").size());
            assertThat(all.path("active_users").valueStream().map(JsonNode::asString))
                    .isSorted();

            JsonNode cut = body(withApiKey(client.get().uri(API + "/stats?limit=1"))
                    .exchange()
                    .expectStatus()
                    .isOk());
            assertThat(cut.path("active_users")).hasSize(1);
            assertThat(cut.path("active_users_truncated").asBoolean()).isTrue();
            assertThat(cut.path("active_user_count").asLong()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void statsRefuseALimitOutsideItsRangeWithProblemJson() {
        for (String limit : List.of("0", "10001", "-3", "many")) {
            JsonNode problem = body(withApiKey(client.get().uri(API + "/stats?limit=" + limit))
                    .exchange()
                    .expectStatus()
                    .isBadRequest()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
            assertThat(problem.path("status").asInt()).isEqualTo(400);
            assertThat(problem.toString()).contains("limit");
        }
    }

    @Test
    void notificationWithSource000QueryParametersLandsOnTheNotificationsStream() {
        String userId = "u-" + shortId();
        JsonNode answer = body(withApiKey(client.post().uri(uri -> uri.path(API + "/notifications")
                        .queryParam("user_id", userId)
                        .queryParam("title", "测试")
                        .queryParam("message", "这是一条测试消息")
                        .queryParam("notification_type", "warning")
                        .build()))
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("message").asString()).isEqualTo("Notification sent to user " + userId);
        assertThat(answer.path("channel").asString()).isEqualTo("user:" + userId);

        JsonNode event = event(Streams.NOTIFICATIONS, answer.path("event_id").asString());
        assertThat(event.path("specversion").asString()).isEqualTo("1.0");
        assertThat(event.path("type").asString()).isEqualTo("notification");
        assertThat(event.path("source").asString()).isEqualTo("/realtime-service");
        assertThat(event.path("subject").asString()).isEqualTo("user:" + userId);
        assertThat(event.path("datacontenttype").asString()).isEqualTo("application/json");
        assertThat(event.path("time").asString()).isNotBlank();
        JsonNode data = event.path("data");
        assertThat(data.path("user_id").asString()).isEqualTo(userId);
        assertThat(data.path("title").asString()).isEqualTo("测试");
        assertThat(data.path("message").asString()).isEqualTo("这是一条测试消息");
        assertThat(data.path("type").asString()).isEqualTo("warning");
    }

    @Test
    void notificationWithoutUserGoesToEveryUserAndBadInputListsTheFields() {
        JsonNode answer = body(withApiKey(client.post().uri(API + "/notifications"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("title", "Maintenance", "message", "at 22:00", "action_url", "/status"))
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(answer.path("channel").asString()).isEqualTo("system:notifications");
        JsonNode event = event(Streams.NOTIFICATIONS, answer.path("event_id").asString());
        assertThat(event.path("subject").asString()).isEqualTo("system:notifications");
        assertThat(event.path("data").has("user_id")).isFalse();
        assertThat(event.path("data").path("type").asString()).isEqualTo("info");
        assertThat(event.path("data").path("action_url").asString()).isEqualTo("/status");

        JsonNode problem = body(withApiKey(client.post().uri(API + "/notifications"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("user_id", "has space", "notification_type", "<script>"))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(fields(problem)).containsExactlyInAnyOrder("user_id", "title", "message", "notification_type");
    }

    @Test
    void publishAppendsTheEventToItsTypesStreamWithTheChannelAsSubject() {
        String taskId = "t-" + shortId();
        Map<String, Object> data = Map.of(
                "task_id",
                taskId,
                "user_id",
                "owner-1",
                "progress",
                50,
                "current_frame",
                10,
                "total_frames",
                20,
                "message",
                "rendering",
                "extra",
                Map.of("kept", true));
        JsonNode answer = body(withApiKey(client.post().uri(API + "/publish"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("channel", "task:" + taskId, "type", "task.progress", "data", data))
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(answer.path("stream").asString()).isEqualTo(Streams.TASKS);
        assertThat(answer.path("stream_id").asString()).isNotBlank();

        JsonNode event = event(Streams.TASKS, answer.path("event_id").asString());
        assertThat(event.path("type").asString()).isEqualTo("task.progress");
        assertThat(event.path("subject").asString()).isEqualTo("task:" + taskId);
        assertThat(event.path("source").asString()).isEqualTo("/realtime-service");
        assertThat(event.path("data")).isEqualTo(JSON.valueToTree(data));
    }

    @Test
    void publishRefusesBadInputWithTheOffendingFields() {
        JsonNode problem = body(withApiKey(client.post().uri(API + "/publish"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("channel", "no-namespace", "type", "task.unknown"))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(fields(problem)).containsExactlyInAnyOrder("channel", "type", "data");

        JsonNode missingOwner = body(withApiKey(client.post().uri(API + "/publish"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("channel", "task:x", "type", "task.progress", "data", Map.of("progress", 5)))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(fields(missingOwner)).contains("data.task_id", "data.user_id");

        JsonNode wrongType = body(withApiKey(client.post().uri(API + "/publish"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "channel", "task:x",
                        "type", "task.progress",
                        "data", Map.of("task_id", "x", "user_id", "u", "progress", "half")))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(fields(wrongType)).containsExactly("data.progress");
    }

    @Test
    void broadcastWithAnIdempotencyKeyPublishesOnceAndReplaysTheSameAnswer() {
        String key = "bc-" + shortId();
        String project = "p-" + shortId();
        Map<String, Object> request = Map.of(
                "channels",
                List.of("project:" + project, "system:notifications"),
                "type",
                "notification",
                "data",
                Map.of("title", "Release", "message", "v2 is out"),
                "idempotency_key",
                key);

        WebTestClient.ResponseSpec first = withApiKey(client.post().uri(API + "/broadcast"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist(RealtimeApiController.REPLAYED_HEADER);
        String firstBody = new String(first.expectBody().returnResult().getResponseBody());
        JsonNode answer = JSON.readTree(firstBody);
        assertThat(answer.path("publications")).hasSize(2);
        assertThat(answer.path("idempotency_key").asString()).isEqualTo(key);

        String replayBody = new String(withApiKey(client.post().uri(API + "/broadcast"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(RealtimeApiController.REPLAYED_HEADER, "true")
                .expectBody()
                .returnResult()
                .getResponseBody());
        assertThat(JSON.readTree(replayBody)).isEqualTo(answer);

        assertThat(StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project))
                .hasSize(1);
        JsonNode event = StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project)
                .get(0);
        assertThat(event.path("id").asString())
                .isEqualTo(answer.path("publications").get(0).path("event_id").asString());
        assertThat(event.path("data").path("title").asString()).isEqualTo("Release");

        // the same key for another broadcast is a client error, and publishes nothing
        withApiKey(client.post().uri(API + "/broadcast"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "channels",
                        List.of("project:" + project),
                        "type",
                        "notification",
                        "data",
                        Map.of("title", "Other", "message", "x"),
                        "idempotency_key",
                        key))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project))
                .hasSize(1);
        // the answer is kept for idempotency-ttl (24 h)
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            assertThat(connection.sync().ttl(BroadcastIdempotency.KEY_PREFIX + key))
                    .isBetween(23 * 3600L, 24 * 3600L);
            String stored = connection.sync().get(BroadcastIdempotency.KEY_PREFIX + key);
            // another key whose broadcast of the same request is still running: a replay must wait, not publish
            String otherKey = "running-" + shortId();
            connection.sync().setex(BroadcastIdempotency.KEY_PREFIX + otherKey, 60, "P " + stored.split(" ")[1]);
            Map<String, Object> sameRequest = new java.util.HashMap<>(request);
            sameRequest.put("idempotency_key", otherKey);
            withApiKey(client.post().uri(API + "/broadcast"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(sameRequest)
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.CONFLICT);
        }
        assertThat(StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project))
                .hasSize(1);
    }

    @Test
    void broadcastTakesTheKeyFromTheHeaderTooAndWithoutAKeyPublishesEveryTime() {
        String project = "p-" + shortId();
        Map<String, Object> request = Map.of(
                "channels", List.of("project:" + project),
                "type", "notification",
                "data", Map.of("title", "Hi", "message", "there"));
        String key = "hdr-" + shortId();
        for (int i = 0; i < 2; i++) {
            withApiKey(client.post().uri(API + "/broadcast"))
                    .header("Idempotency-Key", key)
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(request)
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        assertThat(StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project))
                .hasSize(1);
        for (int i = 0; i < 2; i++) {
            withApiKey(client.post().uri(API + "/broadcast"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(request)
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        assertThat(StreamContents.withSubject(Streams.NOTIFICATIONS, "project:" + project))
                .hasSize(3);

        JsonNode problem = body(withApiKey(client.post().uri(API + "/broadcast"))
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("channels", List.of("project:a", "bad", "project:a"), "type", "notification"))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(fields(problem)).containsExactlyInAnyOrder("channels[1]", "channels[2]", "data");
    }

    @Test
    void historyListsWhatWasPublishedOnTheChannelOldestFirst() {
        String taskId = "h-" + shortId();
        String channel = "task:" + taskId;
        for (int progress : List.of(10, 20, 30)) {
            withApiKey(client.post().uri(API + "/publish"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of(
                            "channel",
                            channel,
                            "type",
                            "task.progress",
                            "data",
                            Map.of("task_id", taskId, "user_id", "owner-h", "progress", progress)))
                    .exchange()
                    .expectStatus()
                    .isOk();
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(history(channel, "").path("publications"))
                .hasSize(3));
        JsonNode page = history(channel, "");
        assertThat(page.path("channel").asString()).isEqualTo(channel);
        assertThat(page.path("epoch").asString()).isNotBlank();
        assertThat(page.path("offset").asLong()).isEqualTo(3);
        JsonNode first = page.path("publications").get(0);
        assertThat(first.path("offset").asLong()).isEqualTo(1);
        assertThat(first.path("type").asString()).isEqualTo("task.progress");
        assertThat(first.path("id").asString()).isNotBlank();
        assertThat(first.path("time").asString()).isNotBlank();
        assertThat(first.path("data").path("progress").asInt()).isEqualTo(10);

        JsonNode since = history(channel, "?since=1&limit=1");
        assertThat(since.path("publications")).hasSize(1);
        assertThat(since.path("publications")
                        .get(0)
                        .path("data")
                        .path("progress")
                        .asInt())
                .isEqualTo(20);

        JsonNode problem = body(withApiKey(client.get().uri(API + "/history/" + channel + "?limit=0&since=-1"))
                .exchange()
                .expectStatus()
                .isBadRequest());
        assertThat(fields(problem)).isNotEmpty();
        withApiKey(client.get().uri(API + "/history/not-a-channel"))
                .exchange()
                .expectStatus()
                .isBadRequest();
    }

    @Test
    void presenceListsTheSubscribersOfAChannel() {
        String project = "pr-" + shortId();
        String channel = "project:" + project;
        JsonNode empty = presence(channel);
        assertThat(empty.path("channel").asString()).isEqualTo(channel);
        assertThat(empty.path("num_clients").asInt()).isZero();
        assertThat(empty.path("presence")).isEmpty();

        String userId = "pres-" + shortId();
        try (WsClient ws =
                WsClient.open(port, DevTokens.userToken(userId, List.of("user"), List.of(project), List.of()))) {
            ws.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(
                            presence(channel).path("num_clients").asInt())
                    .isEqualTo(1));
            JsonNode present = presence(channel);
            assertThat(present.path("num_users").asInt()).isEqualTo(1);
            JsonNode entry = present.path("presence").get(0);
            assertThat(entry.path("user_id").asString()).isEqualTo(userId);
            assertThat(entry.path("connection_id").asString()).isNotBlank();
            assertThat(entry.path("transport").asString()).isEqualTo("websocket");
            assertThat(entry.path("connected_at").asString()).isNotBlank();
        }
    }

    @Test
    void disconnectClosesEveryConnectionOfTheUser() {
        String userId = "kick-" + shortId();
        try (WsClient ws = WsClient.open(port, DevTokens.userToken(userId, List.of("user")))) {
            await().atMost(WAIT).untilAsserted(() -> assertThat(ws.received()).isNotEmpty());
            JsonNode answer = body(client.post()
                    .uri(API + "/users/" + userId + "/disconnect")
                    .headers(h -> h.setBearerAuth(DevTokens.adminToken("root")))
                    .exchange()
                    .expectStatus()
                    .isOk());
            assertThat(answer.path("user_id").asString()).isEqualTo(userId);
            assertThat(answer.path("disconnected").asLong()).isEqualTo(1);
            await().atMost(WAIT).until(ws::closed);
        }
        JsonNode nobody = body(withApiKey(client.post().uri(API + "/users/nobody-" + shortId() + "/disconnect"))
                .exchange()
                .expectStatus()
                .isOk());
        assertThat(nobody.path("disconnected").asLong()).isZero();
    }

    /** Last: stops and restarts the stack's Redis. */
    @Test
    @Order(Integer.MAX_VALUE)
    void answers503WhileRedisIsDown() {
        LocalStackExtension.localStack().stopRedis();
        try {
            JsonNode problem = body(withApiKey(client.post().uri(API + "/publish"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of(
                            "channel", "task:down",
                            "type", "task.status",
                            "data", Map.of("task_id", "down", "user_id", "u", "status", "running")))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
            assertThat(problem.path("status").asInt()).isEqualTo(503);
            // useful to the caller, nothing about where Redis runs
            String redisPort = ":"
                    + java.net
                            .URI
                            .create(LocalStackExtension.localStack().redisUri())
                            .getPort();
            assertThat(problem.toString()).doesNotContain(redisPort).doesNotContainIgnoringCase("redis://");
            withApiKey(client.post().uri(API + "/notifications?title=a&message=b"))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            withApiKey(client.post().uri(API + "/broadcast"))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue(Map.of(
                            "channels",
                            List.of("system:notifications"),
                            "type",
                            "notification",
                            "data",
                            Map.of("title", "a", "message", "b"),
                            "idempotency_key",
                            "down-" + shortId()))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            for (String path : List.of("/stats", "/history/task:down", "/presence/project:down")) {
                JsonNode down = body(withApiKey(client.get().uri(API + path))
                        .exchange()
                        .expectStatus()
                        .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
                assertThat(down.toString()).as(path).doesNotContain(redisPort);
            }
        } finally {
            LocalStackExtension.localStack().startRedis();
            // ready again before anything else runs here (a rerun of a failed test comes right after this one)
            await().atMost(WAIT).untilAsserted(() -> client.get()
                    .uri("/actuator/health/readiness")
                    .exchange()
                    .expectStatus()
                    .isOk());
        }
    }

    private JsonNode stats() {
        return body(withApiKey(client.get().uri(API + "/stats"))
                .exchange()
                .expectStatus()
                .isOk());
    }

    private JsonNode history(String channel, String query) {
        return body(withApiKey(client.get().uri(API + "/history/" + channel + query))
                .exchange()
                .expectStatus()
                .isOk());
    }

    private JsonNode presence(String channel) {
        return body(withApiKey(client.get().uri(API + "/presence/" + channel))
                .exchange()
                .expectStatus()
                .isOk());
    }

    private static JsonNode body(WebTestClient.ResponseSpec response) {
        byte[] bytes = response.expectBody().returnResult().getResponseBody();
        return JSON.readTree(bytes == null ? "{}" : new String(bytes));
    }

    private static List<String> fields(JsonNode problem) {
        return problem.path("errors")
                .valueStream()
                .map(error -> error.path("field").asString())
                .toList();
    }

    /** The envelope with this id on the stream (read with a fresh connection: Redis may have been restarted). */
    private static JsonNode event(String stream, String id) {
        return StreamContents.events(stream).stream()
                .filter(event -> event.path("id").asString().equals(id))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no event " + id + " on " + stream));
    }

    private static String shortId() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** A native-protocol client on {@code /ws}: collects the frames it receives, sends what it is given. */
    static final class WsClient implements AutoCloseable {

        private final List<String> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
        private final Sinks.Empty<Void> done = Sinks.empty();
        private volatile boolean closed;
        private reactor.core.Disposable connection;

        static WsClient open(int port, String token) {
            WsClient ws = new WsClient();
            ws.connection = HttpClient.create()
                    .websocket()
                    .uri("ws://127.0.0.1:" + port + "/ws?token=" + token)
                    .handle((in, out) -> out.sendString(ws.outbound.asFlux())
                            .then()
                            .and(in.receive().asString().doOnNext(ws.frames::add))
                            .and(in.receiveCloseStatus().then())
                            .takeUntilOther(ws.done.asMono()))
                    .doFinally(signal -> ws.closed = true)
                    .subscribe();
            await().atMost(WAIT).until(() -> !ws.frames.isEmpty() || ws.closed);
            return ws;
        }

        void send(String frame) {
            outbound.tryEmitNext(frame);
        }

        List<String> received() {
            return frames;
        }

        boolean closed() {
            return closed;
        }

        @Override
        public void close() {
            outbound.tryEmitComplete();
            done.tryEmitEmpty();
            connection.dispose();
        }
    }
}
