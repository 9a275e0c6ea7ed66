package dev.projectdashboard.realtimeservice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input against every door of the service, replayed from corpora: the server API's parameters and bodies
 * (NUL, huge and negative numbers, numbers as text, out-of-range dates, over-long and malformed names, deep
 * nesting, a body that stalls), native frames and Socket.IO packets (the same, plus duplicate keys, unknown events,
 * binary frames). Each is refused with a 4xx naming the field, an {@code error} frame or, for packets that are not
 * Socket.IO at all, the reference server's close; nothing is published, and the connection (or the next one) is
 * served as before.
 */
@LocalStackTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dashboard.realtime.api.body-timeout=2s")
@AutoConfigureWebTestClient(timeout = "PT30S")
class RealtimeAdversarialTests {

    private static final String API = "/api/v1/realtime";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String PROJECT = "adversarial";

    private static RedisClient redis;
    private static StatefulRedisConnection<String, String> redisConnection;

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        NativeWebSocketEndToEndTests.properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    @BeforeAll
    static void redis() {
        redis = RedisClient.create(LocalStackExtension.localStack().redisUri());
        redisConnection = redis.connect();
    }

    @AfterAll
    static void closeRedis() {
        redisConnection.close();
        redis.shutdown();
    }

    // ---- server API

    static Stream<Arguments> badHistoryRequests() {
        String fresh = "task:" + unique("fresh");
        return Stream.of(
                // Lua printed it as 1e+14: the stream id was invalid and the answer a 503
                Arguments.of(fresh + "?since=100000000000000", "since"),
                Arguments.of(fresh + "?since=9223372036854775807", "since"),
                Arguments.of(fresh + "?since=9223372036854775808", "since"),
                Arguments.of(fresh + "?since=99999999999999999999999", "since"),
                Arguments.of(fresh + "?since=3", "since"),
                Arguments.of(fresh + "?since=-1", "since"),
                Arguments.of(fresh + "?since=1e5", "since"),
                Arguments.of(fresh + "?since=abc", "since"),
                Arguments.of(fresh + "?since=%00", "since"),
                Arguments.of(fresh + "?limit=0", "limit"),
                Arguments.of(fresh + "?limit=1001", "limit"),
                Arguments.of(fresh + "?limit=1e3", "limit"),
                Arguments.of(fresh + "?limit=99999999999", "limit"),
                Arguments.of("task:a%20b", "channel"),
                Arguments.of("task:" + "x".repeat(200), "channel"),
                Arguments.of("task:a:b", "channel"),
                Arguments.of("TASK:a", "channel"));
    }

    @ParameterizedTest(name = "history/{0}")
    @MethodSource("badHistoryRequests")
    void historyRefusesWhatItCannotServeWith400NamingTheParameter(String request, String field) {
        assertNames(get(API + "/history/" + request), field);
    }

    @Test
    void anEncodedNulInThePathIsRefusedBeforeRouting() {
        // Spring Security's firewall answers these itself (a bare 400), before any controller
        for (String path : List.of("/history/task:%00", "/presence/deployment:%00", "/users/a%00b/disconnect")) {
            get(API + path).expectStatus().isBadRequest();
        }
    }

    static Stream<Arguments> badPresenceAndStatsRequests() {
        return Stream.of(
                Arguments.of("/presence/deployment:" + "9".repeat(200), "channel"),
                Arguments.of("/presence/deployment", "channel"),
                Arguments.of("/stats?limit=0", "limit"),
                Arguments.of("/stats?limit=abc", "limit"),
                Arguments.of("/stats?limit=1e3", "limit"),
                Arguments.of("/stats?limit=99999999999", "limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badPresenceAndStatsRequests")
    void presenceAndStatsRefuseBadParametersWith400NamingThem(String request, String field) {
        assertNames(get(API + request), field);
    }

    static Stream<Arguments> badPublications() {
        String progress = "{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"progress\":%s}";
        String task = "{\"channel\":\"task:t-1\",\"type\":\"task.progress\",\"data\":%s}";
        return Stream.of(
                Arguments.of(task.formatted(progress.formatted("\"50\"")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("50.5")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("150")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("-1")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("true")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("1e400")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("99999999999")), "data.progress"),
                Arguments.of(task.formatted(progress.formatted("\"\"")), "data.progress"),
                Arguments.of(
                        task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"current_frame\":\"10\"}"),
                        "data.current_frame"),
                Arguments.of(
                        task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"total_frames\":-5}"),
                        "data.total_frames"),
                Arguments.of(task.formatted("{\"task_id\":{},\"user_id\":\"alice\"}"), "data.task_id"),
                Arguments.of(task.formatted("{\"task_id\":1.5,\"user_id\":\"alice\"}"), "data.task_id"),
                Arguments.of(task.formatted("{\"task_id\":\"a b\",\"user_id\":\"alice\"}"), "data.task_id"),
                Arguments.of(task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"a:b\"}"), "data.user_id"),
                Arguments.of(
                        task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"" + "u".repeat(200) + "\"}"),
                        "data.user_id"),
                Arguments.of(task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"al\\u0000ice\"}"), "data.user_id"),
                Arguments.of(
                        task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"message\":\"a\\u0000b\"}"),
                        "data.message"),
                Arguments.of(
                        task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"extra\":{\"deep\":1e400}}"),
                        "data.extra.deep"),
                Arguments.of(task.formatted("{\"task_id\":\"t-1\",\"user_id\":\"alice\",\"bad\\u0000key\":1}"), "data"),
                Arguments.of(task.formatted("[]"), "data"),
                Arguments.of(task.formatted("null"), "data"),
                Arguments.of(task.formatted("\"text\""), "data"),
                Arguments.of(
                        "{\"channel\":\"task:t\\u0000\",\"type\":\"task.log\",\"data\":{\"task_id\":\"t\",\"user_id\":\"a\"}}",
                        "channel"),
                Arguments.of(
                        "{\"channel\":5,\"type\":\"task.log\",\"data\":{\"task_id\":\"t\",\"user_id\":\"a\"}}",
                        "channel"),
                Arguments.of(
                        "{\"channel\":\"task:t\",\"type\":\"task.nope\",\"data\":{\"task_id\":\"t\",\"user_id\":\"a\"}}",
                        "type"),
                Arguments.of(
                        "{\"channel\":\"task:t\",\"type\":\"file.uploaded\",\"data\":{\"task_id\":\"t\","
                                + "\"uploaded_at\":\"+1000000001-01-01T00:00:00Z\"}}",
                        "data.uploaded_at"),
                Arguments.of(
                        "{\"channel\":\"device:cam-1\",\"type\":\"device.upload_progress\",\"data\":{"
                                + "\"device_id\":\"cam-1\",\"progress_percentage\":\"50\"}}",
                        "data.progress_percentage"),
                Arguments.of(
                        "{\"channel\":\"deployment:d\",\"type\":\"deployment.metrics\",\"data\":{\"project\":\"p\","
                                + "\"deployment_id\":\"d\",\"metrics\":{\"steps_count\":\"5\"}}}",
                        "data.metrics.steps_count"),
                Arguments.of(
                        "{\"channel\":\"deployment:d\",\"type\":\"deployment.step_started\",\"data\":{"
                                + "\"project\":\"p\",\"deployment_id\":\"d\",\"duration\":\"12.5\"}}",
                        "data.duration"));
    }

    @ParameterizedTest(name = "publish {0}")
    @MethodSource("badPublications")
    void publishRefusesDataThatDoesNotFitItsTypeWith400NamingTheFieldAndPublishesNothing(String body, String field) {
        Map<String, Long> before = streamLengths();
        assertNames(post(API + "/publish", body), field);
        assertThat(streamLengths()).isEqualTo(before);
    }

    static Stream<Arguments> badBroadcastsAndNotifications() {
        return Stream.of(
                Arguments.of(
                        "/broadcast",
                        "{\"channels\":\"system:notifications\",\"type\":\"notification\",\"data\":{\"title\":\"t\"}}",
                        "channels"),
                Arguments.of(
                        "/broadcast",
                        "{\"channels\":[\"project:p\\u0000\"],\"type\":\"notification\",\"data\":{\"title\":\"t\"}}",
                        "channels[0]"),
                Arguments.of(
                        "/broadcast",
                        "{\"channels\":[\"project:p\"],\"type\":\"notification\",\"data\":{\"title\":\"t\\u0000\"}}",
                        "data.title"),
                Arguments.of(
                        "/broadcast",
                        "{\"channels\":[\"project:p\"],\"type\":\"notification\",\"data\":{\"title\":\"t\"},"
                                + "\"idempotency_key\":\"k\\u0000\"}",
                        "idempotency_key"),
                Arguments.of("/notifications", "{\"title\":\"a\\u0000b\",\"message\":\"m\"}", "title"),
                Arguments.of("/notifications", "{\"title\":\"t\",\"message\":\"a\\u0000b\"}", "message"),
                Arguments.of("/notifications", "{\"title\":\"t\",\"message\":\"m\",\"user_id\":\"a b\"}", "user_id"),
                Arguments.of(
                        "/notifications",
                        "{\"title\":\"t\",\"message\":\"m\",\"action_url\":\"/x\\u0000y\"}",
                        "action_url"),
                Arguments.of(
                        "/notifications",
                        "{\"title\":\"t\",\"message\":\"m\",\"notification_type\":\"" + "w".repeat(40) + "\"}",
                        "notification_type"),
                Arguments.of("/users/a%20b/disconnect", "", "user_id"),
                Arguments.of("/users/" + "u".repeat(200) + "/disconnect", "", "user_id"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBroadcastsAndNotifications")
    void broadcastNotificationsAndDisconnectRefuseBadInputWith400NamingTheField(
            String path, String body, String field) {
        Map<String, Long> before = streamLengths();
        assertNames(post(API + path, body), field);
        assertThat(streamLengths()).isEqualTo(before);
    }

    @Test
    void bodiesTooDeepOrNotJsonAre400() {
        String deep = "{\"channel\":\"task:t\",\"type\":\"task.log\",\"data\":{\"x\":" + "[".repeat(2000)
                + "]".repeat(2000) + "}}";
        for (String body : List.of(deep, "not json", "{\"channel\":", "\u0000")) {
            post(API + "/publish", body).expectStatus().isBadRequest();
        }
    }

    @Test
    void aBodyThatStallsIs408() throws IOException {
        byte[] body = ("{\"channel\":\"task:t-1\",\"type\":\"task.log\",\"data\":{\"task_id\":\"t-1\","
                        + "\"user_id\":\"alice\",\"message\":\"never finished\"}}")
                .getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket("localhost", port)) {
            // far longer than this context's body-timeout (2 s): the 408 is the server's doing
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + API + "/publish HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + "X-Api-Key: " + DevDefaults.API_KEY + "\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, body.length / 2);
            out.flush();

            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);

            assertThat(answer).isEqualTo("HTTP/1.1 408");
        }
    }

    // ---- native protocol

    static Stream<Arguments> badNativeFrames() {
        String subscribe = "{\"event\":\"subscribe\",\"data\":%s}";
        String since = "{\"channel\":\"system:notifications\",\"since\":%s}";
        return Stream.of(
                Arguments.of("not JSON", "not json"),
                Arguments.of("a raw NUL", "{\"event\":\"ping\u0000\"}"),
                Arguments.of("trailing garbage", "{\"event\":\"ping\"} x"),
                Arguments.of("an array", "[\"ping\"]"),
                Arguments.of("null", "null"),
                Arguments.of("a string", "\"ping\""),
                Arguments.of(
                        "nested too deep", "{\"event\":\"ping\",\"data\":" + "[".repeat(1000) + "]".repeat(1000) + "}"),
                Arguments.of("a duplicate event key", "{\"event\":\"subscribe\",\"event\":\"ping\"}"),
                Arguments.of(
                        "a duplicate channel key",
                        subscribe.formatted(
                                "{\"channel\":\"system:notifications\",\"channel\":\"system:notifications\"}")),
                Arguments.of("no event", "{\"data\":{}}"),
                Arguments.of("a numeric event", "{\"event\":12345}"),
                Arguments.of("an object event", "{\"event\":{}}"),
                Arguments.of("an unknown event", "{\"event\":\"nope\"}"),
                Arguments.of("an unknown event of 10,000 characters", "{\"event\":\"" + "x".repeat(10_000) + "\"}"),
                Arguments.of("data as a string", subscribe.formatted("\"system:notifications\"")),
                Arguments.of("no channel", subscribe.formatted("{}")),
                Arguments.of("a NUL channel", subscribe.formatted("{\"channel\":\"system:\\u0000\"}")),
                Arguments.of(
                        "a channel of 200 characters",
                        subscribe.formatted("{\"channel\":\"project:" + "p".repeat(200) + "\"}")),
                Arguments.of("a channel with two colons", subscribe.formatted("{\"channel\":\"project:a:b\"}")),
                Arguments.of("a channel with a space", subscribe.formatted("{\"channel\":\"project:a b\"}")),
                Arguments.of("a numeric channel", subscribe.formatted("{\"channel\":42}")),
                Arguments.of("an infinite task id", subscribe.formatted("{\"task_id\":1e400}")),
                Arguments.of("a fractional task id", subscribe.formatted("{\"task_id\":1.5}")),
                Arguments.of("an object task id", subscribe.formatted("{\"task_id\":{}}")),
                Arguments.of("since as a number", subscribe.formatted(since.formatted("5"))),
                Arguments.of(
                        "a textual offset", subscribe.formatted(since.formatted("{\"offset\":\"5\",\"epoch\":\"e\"}"))),
                Arguments.of(
                        "a fractional offset",
                        subscribe.formatted(since.formatted("{\"offset\":5.5,\"epoch\":\"e\"}"))),
                Arguments.of(
                        "a negative offset", subscribe.formatted(since.formatted("{\"offset\":-1,\"epoch\":\"e\"}"))),
                Arguments.of(
                        "an offset beyond a long",
                        subscribe.formatted(since.formatted("{\"offset\":1e30,\"epoch\":\"e\"}"))),
                Arguments.of("no epoch", subscribe.formatted(since.formatted("{\"offset\":1}"))),
                Arguments.of("a numeric epoch", subscribe.formatted(since.formatted("{\"offset\":1,\"epoch\":7}"))),
                Arguments.of("a numeric refresh token", "{\"event\":\"refresh\",\"data\":{\"token\":5}}"),
                Arguments.of("a refresh without token", "{\"event\":\"refresh\",\"data\":{}}"),
                Arguments.of("an unsubscribe without channel", "{\"event\":\"unsubscribe\",\"data\":[]}"),
                Arguments.of("a publish without data", "{\"event\":\"publish\",\"data\":{\"channel\":\"chat:1\"}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNativeFrames")
    void nativeAnswersABadFrameWithError107AndStaysOpen(String what, String frame) throws InterruptedException {
        try (WsTestClient client = WsTestClient.connect(port, token(unique("frames")))) {
            client.awaitEvent("connection:established");
            client.send(frame);

            WsTestClient.Frame error = client.awaitEvent("error");

            assertThat(error.json().path("data").path("code").asInt()).as(what).isEqualTo(107);
            assertThat(error.json().toString()).hasSizeLessThan(1_000);
            client.send("{\"event\":\"ping\"}");
            List<WsTestClient.Frame> before = new ArrayList<>();
            client.await(reply -> reply.event().equals("pong"), before);
            assertThat(before).as(what).noneMatch(reply -> reply.event().equals("subscribed"));
        }
    }

    @Test
    void aNativeSubscribeFromAnOffsetBeyondTheChannelIsAnsweredNotRecoveredWithTheChannelsPosition()
            throws InterruptedException {
        String user = unique("since");
        try (WsTestClient client = WsTestClient.connect(port, token(user))) {
            client.awaitEvent("connection:established");
            for (String offset : List.of("100000000000000", "9223372036854775807", "3")) {
                client.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"user:" + user
                        + "\",\"since\":{\"offset\":" + offset + ",\"epoch\":\"whatever\"}}}");
                JsonNode subscribed = client.await(frame -> frame.event().equals("subscribed")
                                || frame.event().equals("error"))
                        .json();

                assertThat(subscribed.path("event").asString()).as(offset).isEqualTo("subscribed");
                assertThat(subscribed.path("data").path("recovered").asBoolean())
                        .isFalse();
                assertThat(subscribed.path("data").path("offset").asLong()).isZero();
                assertThat(subscribed.path("data").path("replayed").asInt()).isZero();
            }
        }
    }

    @Test
    void aNativeBinaryFrameClosesWith3501AndTheServerServesTheNextConnection() throws InterruptedException {
        try (RawWebSocket socket = RawWebSocket.nativeEndpoint(port, token(unique("bin")))) {
            socket.awaitPrefix("{\"event\":\"connection:established\"");
            socket.sendBinary(RawWebSocket.utf8("{\"event\":\"ping\"}"));
            assertThat(socket.awaitClose()).isEqualTo(3501);
        }
        try (WsTestClient next = WsTestClient.connect(port, token(unique("next")))) {
            next.send("{\"event\":\"ping\"}");
            next.awaitEvent("pong");
        }
    }

    static Stream<String> unusableSubjects() {
        return Stream.of("a b", "a:b", "tab\there", "nul\u0000", "line\nbreak", "u".repeat(200), "");
    }

    @ParameterizedTest(name = "sub \"{0}\"")
    @MethodSource("unusableSubjects")
    void aTokenWhoseSubCannotNameAUserIsRefusedOnBothEndpoints(String sub) throws InterruptedException {
        String token = DevTokens.builder(sub).roles(List.of("user")).sign();
        WsTestClient.upgrade(http, "/ws?token=" + token)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        try (RawWebSocket socket = RawWebSocket.socketIo(port)) {
            socket.awaitPrefix("0{");
            socket.send("40{\"token\":\"" + token + "\"}");
            String refused = socket.await(frame -> frame.startsWith("44") || frame.startsWith("40"));
            assertThat(refused).startsWith("44");
            assertThat(JSON.readTree(refused.substring(2))
                            .path("data")
                            .path("code")
                            .asInt())
                    .isEqualTo(101);
        }
    }

    // ---- Socket.IO

    static Stream<Arguments> refusedSocketIoEvents() {
        return Stream.of(
                Arguments.of("no argument", "42[\"subscribe_project\"]"),
                Arguments.of("an object", "42[\"subscribe_project\",{}]"),
                Arguments.of("a NUL name", "42[\"subscribe_project\",\"\\u0000\"]"),
                Arguments.of("a name of 200 characters", "42[\"subscribe_project\",\"" + "p".repeat(200) + "\"]"),
                Arguments.of("a name with a colon", "42[\"subscribe_deployment\",\"a:b\"]"),
                Arguments.of("an infinite id", "42[\"subscribe_deployment\",1e400]"),
                Arguments.of("a fractional id", "42[\"subscribe_deployment\",1.5]"),
                Arguments.of("null", "42[\"unsubscribe_project\",null]"),
                Arguments.of("an unknown event", "42[\"nope\",\"x\"]"),
                Arguments.of("an unknown event of 10,000 characters", "42[\"" + "n".repeat(10_000) + "\"]"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedSocketIoEvents")
    void socketIoAnswersABadRequestWithAnErrorEventOrAckAndStaysConnected(String what, String packet)
            throws InterruptedException {
        try (RawWebSocket socket = connectedSocketIo(unique("sio"))) {
            socket.send(packet);
            String error = socket.awaitPrefix("42[\"error\"");
            assertThat(JSON.readTree(error.substring(2)).get(1).path("code").asInt())
                    .as(what)
                    .isEqualTo(107);
            assertThat(error).hasSizeLessThan(1_000);
            // with an acknowledgement the refusal comes through it
            socket.send("427" + packet.substring(2));
            String ack = socket.awaitPrefix("437");
            assertThat(JSON.readTree(ack.substring(3))
                            .get(0)
                            .path("error")
                            .path("code")
                            .asInt())
                    .as(what)
                    .isEqualTo(107);

            assertStillServed(socket);
        }
    }

    static Stream<Arguments> malformedSocketIoPackets() {
        return Stream.of(
                Arguments.of("broken JSON", "42[\"subscribe_project\",\"p\""),
                Arguments.of("trailing garbage", "42[\"subscribe_project\",\"p\"]x"),
                Arguments.of("a numeric event name", "42[1]"),
                Arguments.of("an object instead of the event array", "42{\"subscribe_project\":\"p\"}"),
                Arguments.of("a duplicate key", "42[\"subscribe_project\",{\"a\":1,\"a\":2}]"),
                Arguments.of(
                        "nested too deep", "42[\"subscribe_project\"," + "[".repeat(1000) + "]".repeat(1000) + "]"),
                Arguments.of("a raw NUL", "42[\"subscribe_project\",\"p\u0000\"]"),
                Arguments.of("binary attachments", "451-[\"subscribe_project\",{\"_placeholder\":true,\"num\":0}]"),
                Arguments.of("an ack id beyond a JS number", "4299999999999999999[\"subscribe_project\",\"p\"]"),
                Arguments.of("an unknown Socket.IO type", "49[\"subscribe_project\",\"p\"]"),
                Arguments.of("an unknown Engine.IO type", "9"),
                Arguments.of("an empty frame", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedSocketIoPackets")
    void socketIoClosesAPacketThatIsNotSocketIoWith3501LikeTheReferenceServerAndServesTheNext(
            String what, String packet) throws InterruptedException {
        try (RawWebSocket socket = connectedSocketIo(unique("bad"))) {
            socket.send(packet);
            assertThat(socket.awaitClose()).as(what).isEqualTo(3501);
        }
        try (RawWebSocket next = connectedSocketIo(unique("next"))) {
            assertStillServed(next);
        }
    }

    @Test
    void socketIoRefusesACONNECTWhoseAuthNamesTheTokenTwice() throws InterruptedException {
        String forged = DevTokens.builder("mallory")
                .secret("not-the-server-secret-but-32-bytes-long!")
                .sign();
        try (RawWebSocket socket = RawWebSocket.socketIo(port)) {
            socket.awaitPrefix("0{");
            // which of the two a parser keeps is its own business: neither is believed
            socket.send("40{\"token\":\"" + forged + "\",\"token\":\"" + token(unique("dup")) + "\"}");
            assertThat(socket.awaitClose()).isEqualTo(3501);
        }
    }

    @Test
    void socketIoClosesABinaryFrameWith3501() throws InterruptedException {
        try (RawWebSocket socket = connectedSocketIo(unique("bin"))) {
            socket.sendBinary(new byte[] {4, 2, 0, -1});
            assertThat(socket.awaitClose()).isEqualTo(3501);
        }
    }

    // ---- helpers

    private RawWebSocket connectedSocketIo(String user) throws InterruptedException {
        RawWebSocket socket = RawWebSocket.socketIo(port);
        socket.awaitPrefix("0{");
        socket.send("40{\"token\":\"" + token(user) + "\"}");
        socket.awaitPrefix("40{\"sid\"");
        return socket;
    }

    /** A subscribe the token allows is answered through its acknowledgement. */
    private static void assertStillServed(RawWebSocket socket) throws InterruptedException {
        socket.send("4299[\"subscribe_project\",\"" + PROJECT + "\"]");
        String ack = socket.awaitPrefix("4399");
        assertThat(JSON.readTree(ack.substring(4)).get(0).path("ok").asBoolean())
                .as(ack)
                .isTrue();
    }

    /** {@code uri} exactly as given (no template encoding: {@code %00} stays a NUL). */
    private WebTestClient.ResponseSpec get(String uri) {
        return http.get()
                .uri(URI.create("http://localhost:" + port + uri))
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange();
    }

    private WebTestClient.ResponseSpec post(String uri, String body) {
        return http.post()
                .uri(URI.create("http://localhost:" + port + uri))
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchange();
    }

    private static void assertNames(WebTestClient.ResponseSpec response, String field) {
        byte[] body = response.expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .returnResult()
                .getResponseBody();
        JsonNode problem = JSON.readTree(new String(body, StandardCharsets.UTF_8));
        List<String> fields = new ArrayList<>();
        problem.path("errors").forEach(error -> fields.add(error.path("field").asString()));
        assertThat(fields).as("%s", problem).contains(field);
    }

    /** The length of every domain stream the API publishes to: a refused request adds to none. */
    private static Map<String, Long> streamLengths() {
        var commands = redisConnection.sync();
        return Map.of(
                Streams.TASKS, commands.xlen(Streams.TASKS),
                Streams.NOTIFICATIONS, commands.xlen(Streams.NOTIFICATIONS),
                Streams.DEPLOYMENTS, commands.xlen(Streams.DEPLOYMENTS),
                Streams.DEVICES, commands.xlen(Streams.DEVICES),
                Streams.FILES, commands.xlen(Streams.FILES));
    }

    private static String token(String user) {
        return DevTokens.userToken(user, List.of("user"), List.of(PROJECT), List.of());
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
