package dev.projectdashboard.realtimeservice.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.RealtimeServiceApplication;
import dev.projectdashboard.realtimeservice.e2e.WsTestClient.Frame;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/** The native protocol end to end: the app on a random port, local-stack Redis, real WebSocket clients. */
@LocalStackTest
@SpringBootTest(
        classes = RealtimeServiceApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dashboard.realtime.hub.history-size=5",
            "dashboard.realtime.connections.outbox-bytes=64KB",
            "dashboard.realtime.connections.max-frame-size=16KB",
            "dashboard.realtime.connections.ping-interval=1s",
            "dashboard.realtime.connections.pong-timeout=2s",
            "dashboard.realtime.connections.close-grace=30s",
            "dashboard.realtime.client-publish.namespaces=chat"
        })
@AutoConfigureWebTestClient(timeout = "PT30S")
class NativeWebSocketEndToEndTests {

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient http;

    @Autowired
    EventPublisher events;

    @Autowired
    MeterRegistry meters;

    @DynamicPropertySource
    static void stack(DynamicPropertyRegistry registry) {
        properties().forEach((name, value) -> registry.add(name, () -> value));
    }

    static Map<String, String> properties() {
        Map<String, String> properties =
                new LinkedHashMap<>(LocalStackExtension.localStack().environment());
        properties.put("dashboard.security.jwt-secret", DevDefaults.JWT_SECRET);
        properties.put("dashboard.security.api-key", DevDefaults.API_KEY);
        return properties;
    }

    @Test
    void refusesMissingForgedAndExpiredTokensWith401BeforeTheUpgrade() {
        String forged = DevTokens.builder("alice")
                .secret("another-secret-of-at-least-32-bytes!!")
                .sign();
        String expired = DevTokens.builder("alice")
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign();
        for (String query : List.of("", "?token=" + forged, "?token=" + expired, "?token=garbage")) {
            WsTestClient.upgrade(http, "/ws" + query)
                    .expectStatus()
                    .isEqualTo(HttpStatus.UNAUTHORIZED)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        try (WsTestClient client = WsTestClient.connect(port, forged)) {
            assertThat(client.awaitFailure(Duration.ofSeconds(10))).hasMessageContaining("401");
        }
    }

    @Test
    void greetsWithConnectionEstablishedAndAnswersPing() throws InterruptedException {
        try (WsTestClient alice = WsTestClient.connect(port, token("alice"))) {
            Frame established = alice.awaitEvent("connection:established");
            assertThat(established.json().path("data").path("user_id").asString())
                    .isEqualTo("alice");
            assertThat(established.json().path("data").path("connection_id").asString())
                    .isNotBlank();
            assertThat(established.json().path("data").path("ping_interval").asLong())
                    .isEqualTo(1);
            Instant.parse(established.json().path("data").path("timestamp").asString());

            alice.send("{\"event\":\"ping\"}");
            Frame pong = alice.awaitEvent("pong");
            Instant.parse(pong.json().path("data").path("timestamp").asString());

            double noPongBefore = disconnects("no_pong");
            // the server pings every second; the client's automatic pongs keep it open past 1 s + 2 s of silence:
            // four more pings span more than three seconds without a frame of the client's own
            int pingsBefore = alice.pings();
            await().atMost(Duration.ofSeconds(8)).until(() -> alice.pings() >= pingsBefore + 4);
            alice.send("{\"event\":\"ping\"}");
            alice.awaitEvent("pong");
            assertThat(disconnects("no_pong")).isEqualTo(noPongBefore);
        }
    }

    @Test
    void countsOpenConnectionsInAGauge() throws InterruptedException {
        try (WsTestClient alice = WsTestClient.connect(port, token("alice"))) {
            alice.awaitEvent("connection:established");
            await().atMost(Duration.ofSeconds(5)).until(() -> openConnections() >= 1);
        }
        // every test closes its clients: once this one is gone, none is left open on this replica
        await().atMost(Duration.ofSeconds(10)).until(() -> openConnections() == 0);
    }

    private double openConnections() {
        var gauge = meters.find("dashboard.realtime.connections")
                .tag("transport", "websocket")
                .gauge();
        return gauge == null ? 0 : gauge.value();
    }

    @Test
    void deliversEveryTaskEventToItsOwnerAndNobodyElse() throws InterruptedException {
        String owner = unique("owner");
        String other = unique("other");
        String task = unique("t");
        try (WsTestClient alice = WsTestClient.connect(port, token(owner));
                WsTestClient bob = WsTestClient.connect(port, token(other))) {
            alice.awaitEvent("connection:established");
            bob.awaitEvent("connection:established");
            awaitRegistered(alice, bob);

            List<String> types = List.of("task.progress", "task.status", "task.log", "task.completed", "task.failed");
            for (String type : types) {
                publish(type, Map.of("task_id", task, "user_id", owner, "progress", 50, "status", "running"));
            }
            publish("task.progress", Map.of("task_id", "marker", "user_id", other, "progress", 1));

            List<Frame> received = alice.awaitPublications("user:" + owner, types.size());
            assertThat(received)
                    .extracting(frame -> frame.event())
                    .containsExactly("task:progress", "task:status", "task:log", "task:completed", "task:failed");
            assertThat(received).allSatisfy(frame -> {
                assertThat(frame.json().path("data").path("task_id").asString()).isEqualTo(task);
                assertThat(frame.json().path("offset").asLong()).isPositive();
            });
            List<Frame> skipped = new ArrayList<>();
            Frame marker = bob.await(
                    frame -> frame.json()
                            .path("data")
                            .path("task_id")
                            .asString("")
                            .equals("marker"),
                    skipped);
            assertThat(marker.json().path("channel").asString()).isEqualTo("user:" + other);
            assertThat(skipped).noneMatch(frame -> frame.json().has("type"));
        }
    }

    @Test
    void aSource000ClientSubscribedToItsTaskPrintsEveryTaskLogLineOnceAndRecoversWithoutRepeats()
            throws InterruptedException {
        String owner = unique("logs");
        String task = unique("t");
        String taskChannel = "task:" + task;
        String userChannel = "user:" + owner;
        Map<String, Long> positions = new LinkedHashMap<>();
        Map<String, String> epochs = new LinkedHashMap<>();
        try (WsTestClient client = WsTestClient.connect(port, token(owner))) {
            client.awaitEvent("connection:established");
            // the native contract (docs/contracts.md): ws.send({event: 'subscribe', data: {task_id: 'task-uuid'}})
            client.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            epochs.put(taskChannel, subscribedEpoch(client));
            // a client that wants to recover its personal channel learns its epoch the same way
            client.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + userChannel + "\"}}");
            epochs.put(userChannel, subscribedEpoch(client));

            for (int i = 1; i <= 5; i++) {
                publishTaskLog(task, owner, "line " + i);
            }
            List<Frame> lines = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                lines.add(client.awaitEvent("task:log"));
            }
            // a round trip after the last line: a second copy of any line would have arrived before the pong
            publishTaskLog(task, owner, "marker");
            Frame marker = client.awaitEvent("task:log");
            assertThat(marker.json().path("data").path("message").asString()).isEqualTo("marker");
            client.send("{\"event\":\"ping\"}");
            List<Frame> rest = new ArrayList<>();
            client.await(frame -> frame.event().equals("pong"), rest);
            assertThat(rest).noneMatch(frame -> frame.event().equals("task:log"));

            assertThat(lines)
                    .extracting(
                            frame -> frame.json().path("data").path("message").asString())
                    .containsExactly("line 1", "line 2", "line 3", "line 4", "line 5");
            assertThat(lines).allSatisfy(frame -> {
                assertThat(frame.json().path("channel").asString()).isEqualTo(taskChannel);
                assertThat(frame.json().path("also")).hasSize(1);
                assertThat(frame.json().path("also").get(0).path("channel").asString())
                        .isEqualTo(userChannel);
            });
            // what a client keeps per channel: the newest offset, named or in also
            positions.put(taskChannel, marker.json().path("offset").asLong());
            positions.put(
                    userChannel,
                    marker.json().path("also").get(0).path("offset").asLong());
        }
        // the client is away while two more lines are logged
        publishTaskLog(task, owner, "missed 1");
        publishTaskLog(task, owner, "missed 2");
        try (WsTestClient again = WsTestClient.connect(port, token(owner))) {
            again.awaitEvent("connection:established");
            for (String channel : List.of(userChannel, taskChannel)) {
                again.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel
                        + "\",\"since\":{\"offset\":" + positions.get(channel) + ",\"epoch\":\"" + epochs.get(channel)
                        + "\"}}}");
            }
            List<Frame> recovered = new ArrayList<>();
            while (recovered.size() < 2) {
                recovered.add(again.awaitEvent("task:log"));
            }
            again.send("{\"event\":\"ping\"}");
            List<Frame> rest = new ArrayList<>();
            again.await(frame -> frame.event().equals("pong"), rest);
            recovered.addAll(rest.stream()
                    .filter(frame -> frame.event().equals("task:log"))
                    .toList());
            // each once; which channel names which depends on whether the fan-out handed them over before the
            // personal channel went live at the connect or after
            assertThat(recovered)
                    .extracting(
                            frame -> frame.json().path("data").path("message").asString())
                    .containsExactlyInAnyOrder("missed 1", "missed 2");
        }
    }

    @Test
    void rejectsSubscriptionToAnotherUsersTask() throws InterruptedException {
        String alice = unique("alice");
        String bob = unique("bob");
        String task = unique("t");
        try (WsTestClient owner = WsTestClient.connect(port, token(alice));
                WsTestClient intruder = WsTestClient.connect(port, token(bob))) {
            owner.awaitEvent("connection:established");
            intruder.awaitEvent("connection:established");
            owner.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            owner.awaitEvent("subscribed");
            publishTaskLog(task, alice, "rendering frame 1");
            owner.awaitEvent("task:log");

            // the native contract's subscribe by task id, from someone else
            intruder.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            Frame refused = intruder.awaitEvent("error");
            assertThat(refused.json().path("data").path("code").asInt()).isEqualTo(103);
            assertThat(refused.json().path("data").path("channel").asString()).isEqualTo("task:" + task);

            publishTaskLog(task, alice, "rendering frame 2");
            owner.awaitEvent("task:log");
            intruder.send("{\"event\":\"ping\"}");
            List<Frame> before = new ArrayList<>();
            intruder.await(frame -> frame.event().equals("pong"), before);
            assertThat(before).noneMatch(frame -> frame.event().startsWith("task:"));
        }
    }

    @Test
    void aSubscriptionMadeBeforeTheFirstEventGetsNothingOfAnotherUsersTask() throws InterruptedException {
        String alice = unique("alice");
        String carol = unique("carol");
        String task = unique("t");
        try (WsTestClient early = WsTestClient.connect(port, token(carol));
                WsTestClient owner = WsTestClient.connect(port, token(alice))) {
            // nobody is known to own the task yet: both may subscribe
            early.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            early.awaitEvent("subscribed");
            owner.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            owner.awaitEvent("subscribed");

            publishTaskLog(task, alice, "progress of alice's render");

            Frame line = owner.awaitEvent("task:log");
            assertThat(line.json().path("data").path("message").asString()).isEqualTo("progress of alice's render");
            List<Frame> skipped = new ArrayList<>();
            Frame ended = early.await(frame -> frame.event().equals("error"), skipped);
            assertThat(ended.json().path("data").path("code").asInt()).isEqualTo(103);
            assertThat(ended.json().path("data").path("channel").asString()).isEqualTo("task:" + task);
            assertThat(skipped).noneMatch(frame -> frame.event().startsWith("task:"));
            publishTaskLog(task, alice, "more");
            owner.awaitEvent("task:log");
            early.send("{\"event\":\"ping\"}");
            List<Frame> after = new ArrayList<>();
            early.await(frame -> frame.event().equals("pong"), after);
            assertThat(after).noneMatch(frame -> frame.event().startsWith("task:"));
        }
    }

    private static String subscribedEpoch(WsTestClient client) throws InterruptedException {
        return client.awaitEvent("subscribed").json().path("data").path("epoch").asString();
    }

    /** The task service's send_task_log(user_id, task_id, level, message) (docs/contracts.md), through the server API. */
    private void publishTaskLog(String task, String owner, String message) {
        http.post()
                .uri("/api/v1/realtime/publish")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of(
                        "channel",
                        "task:" + task,
                        "type",
                        "task.log",
                        "data",
                        Map.of("task_id", task, "user_id", owner, "level", "info", "message", message)))
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void refusesTheDeploymentOfAProjectTheTokenDoesNotListAndItsReplay() throws InterruptedException {
        String project = unique("proj");
        String deployment = unique("d");
        String channel = "deployment:" + deployment;
        events.publish(
                        Streams.DEPLOYMENTS,
                        CloudEvent.of(
                                "deployment.log",
                                "/deploy-notifier",
                                null,
                                Map.of("project", project, "deployment_id", deployment, "message", "building")))
                .block(Duration.ofSeconds(10));
        JsonNode history = HistoryApi.awaitOffset(http, channel, 1, Duration.ofSeconds(10));
        String since = "{\"offset\":0,\"epoch\":\"" + history.path("epoch").asString() + "\"}";

        try (WsTestClient outsider = WsTestClient.connect(port, token(unique("out"), unique("other-project")));
                WsTestClient member = WsTestClient.connect(port, token(unique("in"), project))) {
            for (String request : List.of(
                    "{\"channel\":\"" + channel + "\"}", "{\"channel\":\"" + channel + "\",\"since\":" + since + "}")) {
                outsider.send("{\"event\":\"subscribe\",\"data\":" + request + "}");
                Frame refused = outsider.await(
                        frame -> frame.event().equals("error") || frame.event().equals("subscribed"));
                assertThat(refused.event()).as(request).isEqualTo("error");
                assertThat(refused.json().path("data").path("code").asInt()).isEqualTo(103);
                assertThat(refused.json().path("data").path("channel").asString())
                        .isEqualTo(channel);
            }
            outsider.send("{\"event\":\"ping\"}");
            List<Frame> before = new ArrayList<>();
            outsider.await(frame -> frame.event().equals("pong"), before);
            assertThat(before).noneMatch(frame -> frame.event().startsWith("deployment:"));

            member.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":" + since + "}}");
            Frame subscribed = member.awaitEvent("subscribed");
            assertThat(subscribed.json().path("data").path("recovered").asBoolean())
                    .isTrue();
            assertThat(member.awaitEvent("deployment:log")
                            .json()
                            .path("data")
                            .path("message")
                            .asString())
                    .isEqualTo("building");
        }
    }

    @Test
    void refusesAnotherUsersChannelWithAnErrorEvent() throws InterruptedException {
        try (WsTestClient alice = WsTestClient.connect(port, token("alice-" + UUID.randomUUID()))) {
            alice.awaitEvent("connection:established");
            alice.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"user:bob\"}}");

            Frame error = alice.awaitEvent("error");
            assertThat(error.json().path("data").path("code").asInt()).isEqualTo(103);
            assertThat(error.json().path("data").path("channel").asString()).isEqualTo("user:bob");
            // still open
            alice.send("{\"event\":\"ping\"}");
            alice.awaitEvent("pong");
        }
    }

    @Test
    void recoversExactlyTheMissedFramesAfterReconnecting() throws InterruptedException {
        String user = unique("rec");
        String task = unique("t");
        String channel = "task:" + task;
        long lastOffset;
        try (WsTestClient first = WsTestClient.connect(port, token(user))) {
            first.awaitEvent("connection:established");
            first.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}");
            first.awaitEvent("subscribed");
            publish("task.progress", Map.of("task_id", task, "user_id", user, "progress", 1));
            Frame seen = first.awaitPublications(channel, 1).get(0);
            lastOffset = seen.json().path("offset").asLong();
        }
        for (int i = 2; i <= 4; i++) {
            publish("task.progress", Map.of("task_id", task, "user_id", user, "progress", i));
        }
        try (WsTestClient again = WsTestClient.connect(port, token(user))) {
            again.awaitEvent("connection:established");
            // the epoch comes from a fresh subscribe on another connection: recovery needs the channel's epoch
            String epoch;
            try (WsTestClient probe = WsTestClient.connect(port, token(user))) {
                probe.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
                epoch = probe.awaitEvent("subscribed")
                        .json()
                        .path("data")
                        .path("epoch")
                        .asString();
            }
            again.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"offset\":"
                    + lastOffset + ",\"epoch\":\"" + epoch + "\"}}}");
            // the owner's personal channel is live from the connect: missed events the fan-out hands over after it
            // arrive there, and the task's replay does not send them again
            List<Frame> live = new ArrayList<>();
            Frame subscribed = again.await(frame -> frame.event().equals("subscribed"), live);
            assertThat(subscribed.json().path("data").path("recovered").asBoolean())
                    .isTrue();
            assertThat(subscribed.json().path("data").path("offset").asLong()).isEqualTo(lastOffset + 3);
            List<Frame> missed = new ArrayList<>(
                    live.stream().filter(frame -> frame.json().has("type")).toList());
            int replayed = subscribed.json().path("data").path("replayed").asInt();
            List<Frame> replay = again.awaitPublications(channel, replayed);
            assertThat(replay)
                    .extracting(frame -> frame.json().path("offset").asLong())
                    .isSorted()
                    .allSatisfy(offset -> assertThat(offset).isBetween(lastOffset + 1, lastOffset + 3));
            missed.addAll(replay);
            // exactly the missed ones, once each, and nothing else before a round trip
            again.send("{\"event\":\"ping\"}");
            List<Frame> rest = new ArrayList<>();
            again.await(frame -> frame.event().equals("pong"), rest);
            assertThat(rest).noneMatch(frame -> frame.json().has("type"));
            assertThat(missed)
                    .extracting(
                            frame -> frame.json().path("data").path("progress").asInt())
                    .containsExactlyInAnyOrder(2, 3, 4);
        }
    }

    @Test
    void answersRecoveredFalseWhenTheGapWasTrimmed() throws InterruptedException {
        String user = unique("trim");
        String task = unique("t");
        String channel = "task:" + task;
        try (WsTestClient client = WsTestClient.connect(port, token(user))) {
            client.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            client.awaitEvent("subscribed");
            publish("task.progress", Map.of("task_id", task, "user_id", user, "progress", 0));
            Frame first = client.awaitPublications(channel, 1).get(0);
            long offset = first.json().path("offset").asLong();
            client.send("{\"event\":\"unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            client.awaitEvent("unsubscribed");
            // history keeps 5: 7 more publications trim the gap away
            for (int i = 1; i <= 7; i++) {
                publish("task.progress", Map.of("task_id", task, "user_id", user, "progress", i));
            }
            client.awaitPublications("user:" + user, 7);
            client.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            String epoch = client.awaitEvent("subscribed")
                    .json()
                    .path("data")
                    .path("epoch")
                    .asString();
            client.send("{\"event\":\"unsubscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            client.awaitEvent("unsubscribed");

            client.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\",\"since\":{\"offset\":"
                    + offset + ",\"epoch\":\"" + epoch + "\"}}}");
            Frame subscribed = client.awaitEvent("subscribed");
            assertThat(subscribed.json().path("data").path("recovered").asBoolean())
                    .isFalse();
            assertThat(subscribed.json().path("data").path("replayed").asInt()).isZero();
            client.send("{\"event\":\"ping\"}");
            List<Frame> skipped = new ArrayList<>();
            client.await(frame -> frame.event().equals("pong"), skipped);
            assertThat(skipped)
                    .noneMatch(
                            frame -> channel.equals(frame.json().path("channel").asString(null)));
        }
    }

    @Test
    void bothReplicasDeliver() throws InterruptedException {
        Map<String, Object> second = new LinkedHashMap<>(properties());
        second.put("server.port", "0");
        second.put("dashboard.realtime.connections.ping-interval", "1s");
        // as arguments: default properties would lose to application.yml's server.port (8082, which may be taken)
        String[] arguments = second.entrySet().stream()
                .map(setting -> "--" + setting.getKey() + "=" + setting.getValue())
                .toArray(String[]::new);
        try (ConfigurableApplicationContext replica =
                new SpringApplicationBuilder(RealtimeServiceApplication.class).run(arguments)) {
            int otherPort = Integer.parseInt(replica.getEnvironment().getProperty("local.server.port"));
            String user = unique("two");
            try (WsTestClient one = WsTestClient.connect(port, token(user));
                    WsTestClient two = WsTestClient.connect(otherPort, token(user))) {
                one.awaitEvent("connection:established");
                two.awaitEvent("connection:established");
                awaitRegistered(one, two);
                publish("notification", Map.of("user_id", user, "title", "hi", "message", "both"));
                assertThat(one.awaitPublications("user:" + user, 1).get(0).event())
                        .isEqualTo("notification");
                assertThat(two.awaitPublications("user:" + user, 1).get(0).event())
                        .isEqualTo("notification");
            }
        }
    }

    @Test
    void cutsOffAClientThatStopsReadingWhileAnotherKeepsReceivingPromptly() throws InterruptedException {
        String task = unique("slow");
        String channel = "task:" + task;
        String pad = "x".repeat(8 * 1024);
        double slowBefore = slowDisconnects();
        // admins: they may read the task whoever owns it (its events name "someone")
        try (WsTestClient slow = WsTestClient.connectWithSmallReceiveBuffer(port, DevTokens.adminToken("slow-reader"));
                WsTestClient fast = WsTestClient.connect(port, DevTokens.adminToken("fast-reader"))) {
            slow.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            fast.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            slow.awaitEvent("subscribed");
            fast.awaitEvent("subscribed");
            // warm-up (JIT, Redis, buffers) so the two measured bursts below compare like with like
            for (int i = 0; i < 300; i++) {
                publish(
                        "task.log",
                        Map.of("task_id", task, "user_id", "someone", "seq", -1, "sent_at", 0, "line", pad));
            }
            fast.awaitPublications(channel, 300);
            slow.awaitPublications(channel, 300);
            slow.stopReading();
            slow.keepSendingPings(Duration.ofMillis(300));

            // the kernel buffers (several MB on loopback) fill first, then the 64 KB outbox
            int published = 0;
            while (slowDisconnects() == slowBefore && published < 4000) {
                for (int i = 0; i < 10; i++, published++) {
                    publish(
                            "task.log",
                            Map.of(
                                    "task_id",
                                    task,
                                    "user_id",
                                    "someone",
                                    "seq",
                                    published,
                                    "sent_at",
                                    System.currentTimeMillis(),
                                    "line",
                                    pad));
                }
            }
            assertThat(slowDisconnects()).as("slow client cut off").isGreaterThan(slowBefore);

            // cut off: the server closed with 3008 (the reason counted above). Reading again, the client finds the
            // 3008 close frame behind what it had not read, or, when the server's socket closed with the client's
            // unread input pending, a TCP reset (Linux then discards what was still in flight)
            slow.stopPinging();
            slow.resumeReading();
            WebSocketCloseStatus status = slow.awaitClose(Duration.ofSeconds(20));
            if (status != null) {
                assertThat(status.code()).isEqualTo(3008);
            } else {
                assertThat(slow.awaitFailure(Duration.ofSeconds(5)))
                        .as("slow client's connection ended")
                        .isNotNull();
            }

            List<Frame> received = fast.awaitPublications(channel, published);
            assertThat(received)
                    .extracting(frame -> frame.json().path("data").path("seq").asInt())
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, published)
                            .boxed()
                            .toList());
            long slowPeriodMedian = medianLatency(received);

            // the same burst again with nobody slow: the fast client's latency must not have been worse above
            String baselineTask = task + "-baseline";
            fast.send("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + baselineTask + "\"}}");
            fast.awaitEvent("subscribed");
            for (int i = 0; i < published; i++) {
                publish(
                        "task.log",
                        Map.of(
                                "task_id",
                                baselineTask,
                                "user_id",
                                "someone",
                                "seq",
                                i,
                                "sent_at",
                                System.currentTimeMillis(),
                                "line",
                                pad));
            }
            long baselineMedian = medianLatency(fast.awaitPublications("task:" + baselineTask, published));
            assertThat(slowPeriodMedian)
                    .as(
                            "median latency with a stuck subscriber (%d ms) vs without (%d ms)",
                            slowPeriodMedian, baselineMedian)
                    .isLessThanOrEqualTo(baselineMedian * 2 + 250);

            fast.send("{\"event\":\"ping\"}");
            fast.awaitEvent("pong");
        }
    }

    @Test
    void closesAClientThatNeverAnswersPingsWith3012() {
        try (WsTestClient silent = WsTestClient.connectIgnoringPings(port, token("silent"))) {
            // ping every 1 s, silence allowed for 1 s + 2 s
            WebSocketCloseStatus status = silent.awaitClose(Duration.ofSeconds(10));
            assertThat(status.code()).isEqualTo(3012);
        }
    }

    @Test
    void closesWith3109WhenTheTokenExpiresWithoutRefresh() throws InterruptedException {
        String shortLived = DevTokens.builder("expiring")
                .roles(List.of("user"))
                .expiresAt(Instant.now().plusSeconds(2))
                .sign();
        try (WsTestClient client = WsTestClient.connect(port, shortLived)) {
            client.awaitEvent("connection:established");
            WebSocketCloseStatus status = client.awaitClose(Duration.ofSeconds(10));
            assertThat(status.code()).isEqualTo(3109);
        }
    }

    @Test
    void keepsTheConnectionOpenPastTheOldExpiryAfterARefresh() throws InterruptedException {
        String shortLived = DevTokens.builder("refresher")
                .roles(List.of("user"))
                .expiresAt(Instant.now().plusSeconds(2))
                .sign();
        try (WsTestClient client = WsTestClient.connect(port, shortLived)) {
            client.awaitEvent("connection:established");
            client.send("{\"event\":\"refresh\",\"data\":{\"token\":\"" + token("refresher") + "\"}}");
            Frame refreshed = client.awaitEvent("refreshed");
            assertThat(Instant.parse(
                            refreshed.json().path("data").path("expires_at").asString()))
                    .isAfter(Instant.now().plusSeconds(3600));

            assertThat(client.awaitClose(Duration.ofSeconds(4))).isNull();
            client.send("{\"event\":\"ping\"}");
            client.awaitEvent("pong");
        }
    }

    @Test
    void closesWith3500WhenARefreshTokenBelongsToSomeoneElse() {
        try (WsTestClient client = WsTestClient.connect(port, token("victim"))) {
            client.send("{\"event\":\"refresh\",\"data\":{\"token\":\"" + token("intruder") + "\"}}");
            assertThat(client.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(3500);
        }
    }

    @Test
    void relaysClientPublicationsOnAllowedNamespacesAndRefusesOthers() throws InterruptedException {
        String channel = "chat:room-" + UUID.randomUUID().toString().substring(0, 8);
        try (WsTestClient writer = WsTestClient.connect(port, token("writer"));
                WsTestClient reader = WsTestClient.connect(port, token("reader"))) {
            writer.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            reader.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
            writer.awaitEvent("subscribed");
            reader.awaitEvent("subscribed");

            writer.send(
                    "{\"event\":\"publish\",\"data\":{\"channel\":\"" + channel + "\",\"data\":{\"typing\":true}}}");
            Frame publication = reader.awaitPublications(channel, 1).get(0);
            assertThat(publication.event()).isEqualTo("publication");
            assertThat(publication.json().path("offset").asLong()).isZero();
            assertThat(publication.json().path("data").path("typing").asBoolean())
                    .isTrue();

            writer.send("{\"event\":\"publish\",\"data\":{\"channel\":\"task:t1\",\"data\":{}}}");
            Frame error = writer.awaitEvent("error");
            assertThat(error.json().path("data").path("code").asInt()).isEqualTo(103);
            assertThat(error.json().path("data").path("request").asString()).isEqualTo("publish");
        }
    }

    private static long medianLatency(List<Frame> frames) {
        long[] latencies = frames.stream()
                .mapToLong(frame -> frame.receivedAtMillis()
                        - frame.json().path("data").path("sent_at").asLong())
                .sorted()
                .toArray();
        return latencies[latencies.length / 2];
    }

    private double slowDisconnects() {
        return disconnects("slow_client");
    }

    private double disconnects(String reason) {
        var counter = meters.find("dashboard.realtime.disconnects")
                .tag("reason", reason)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    /** Inbound frames are read only once the hub registered the connection: a pong proves its personal channels. */
    private static void awaitRegistered(WsTestClient... clients) throws InterruptedException {
        for (WsTestClient client : clients) {
            client.send("{\"event\":\"ping\"}");
            client.awaitEvent("pong");
        }
    }

    private void publish(String type, Map<String, Object> data) {
        events.publish(
                        Streams.TASKS.equals(streamOf(type)) ? Streams.TASKS : streamOf(type),
                        CloudEvent.of(type, "realtime-service-tests", null, data))
                .block(Duration.ofSeconds(10));
    }

    private static String streamOf(String type) {
        return type.startsWith("task.") ? Streams.TASKS : Streams.NOTIFICATIONS;
    }

    /** A name no other test uses (they share the Redis). */
    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String token(String user) {
        return DevTokens.userToken(user, List.of("user"));
    }

    private static String token(String user, String project) {
        return DevTokens.userToken(user, List.of("user"), List.of(project), List.of());
    }
}
