package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.Hub;
import dev.projectdashboard.starter.security.DevTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * The Socket.IO endpoint against the real {@code socket.io-client} 4.8 from npm (not an imitation), the local
 * stack's Redis and the whole service: deployment CloudEvents published to {@code events:deployments} reach a
 * browser-style client as the contract's {@code event} (docs/contracts.md) {@code {type, payload}}.
 */
@LocalStackTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            // short heartbeat: the stock client must keep answering pings, a silent raw client must be cut off fast
            "dashboard.realtime.connections.ping-interval=500ms",
            "dashboard.realtime.connections.pong-timeout=1s",
            "dashboard.realtime.socketio.connect-timeout=2s",
            "dashboard.realtime.hub.max-connections-per-user=2"
        })
@AutoConfigureWebTestClient(timeout = "PT20S")
class SocketIoEndToEndTests extends SocketIoServiceTests {

    private static final String PROJECT = "axi-star-cloud";
    private static final String DEPLOYMENT = "123456789";

    @Autowired
    private Hub hub;

    private static String token(String user, String... projects) {
        return DevTokens.userToken(user, List.of("user"), List.of(projects), List.of());
    }

    @Test
    void deliversDeploymentEventsAsSource002EventsToTheStockClient() throws Exception {
        String project = PROJECT + "-" + System.nanoTime();
        // a deployment belongs to the project of its first event: one of this project only
        String deployment = DEPLOYMENT + System.nanoTime();
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("alice", project))) {
            JsonNode connected = socket.next("connect", WAIT);
            assertThat(connected.path("nsp").asString()).isEqualTo(SEED_NAMESPACE);

            socket.emit("subscribe_project", project, true);
            JsonNode ack = socket.next("ack", WAIT);
            assertThat(ack.path("response")).isEqualTo(json("{\"ok\":true,\"channel\":\"project:" + project + "\"}"));
            // the same deployment on its own channel too: the client still gets each event once
            socket.emit("subscribe_deployment", deployment, true);
            assertThat(socket.next("ack", WAIT).path("response"))
                    .isEqualTo(json("{\"ok\":true,\"channel\":\"deployment:" + deployment + "\"}"));

            List<Published> published = new ArrayList<>();
            published.add(publish(
                    EventTypes.DEPLOYMENT_STEP_STARTED, "step_started", stepData(project, deployment, "started")));
            // another project: not subscribed, must not arrive
            publish(EventTypes.DEPLOYMENT_STEP_STARTED, "step_started", stepData(project + "-other", "987", "started"));
            published.add(publish(
                    EventTypes.DEPLOYMENT_STEP_COMPLETED,
                    "step_completed",
                    stepData(project, deployment, "completed")));
            published.add(publish(
                    EventTypes.DEPLOYMENT_STEP_FAILED, "step_completed", stepData(project, deployment, "failed")));
            published.add(publish(EventTypes.DEPLOYMENT_LOG, "log_entry", logData(project, deployment)));
            published.add(publish(EventTypes.DEPLOYMENT_METRICS, "metrics_update", metricsData(project, deployment)));
            published.add(publish(
                    EventTypes.DEPLOYMENT_COMPLETED, "deployment_completed", completedData(project, deployment)));

            // exactly these, in order, each once (the last one proves nothing else came in between): named after the
            // project, the deployment's position beside it
            for (Published expected : published) {
                JsonNode event = socket.next("event", WAIT).path("data");
                assertThat(event.path("type").asString()).isEqualTo(expected.type());
                assertThat(event.path("payload")).isEqualTo(expected.payload());
                assertThat(event.path("channel").asString()).isEqualTo("project:" + project);
                assertThat(event.path("offset").asLong()).isPositive();
                assertThat(event.path("also").get(0).path("channel").asString()).isEqualTo("deployment:" + deployment);
            }
            assertThat(socket.seenOfKind("other")).isEmpty();
        }
    }

    @Test
    void unsubscribeStopsDeliveryOnTheDefaultNamespace() throws Exception {
        String project = PROJECT + "-" + System.nanoTime();
        try (var socket = SocketIoClientDriver.start(url(""), "--token", token("bob", project))) {
            assertThat(socket.next("connect", WAIT).path("nsp").asString()).isEqualTo("/");
            socket.emit("subscribe_project", project, true);
            socket.next("ack", WAIT);
            Published first = publish(EventTypes.DEPLOYMENT_LOG, "log_entry", logData(project, DEPLOYMENT));
            assertThat(socket.next("event", WAIT).path("data").path("payload")).isEqualTo(first.payload());

            socket.emit("unsubscribe_project", project, true);
            assertThat(socket.next("ack", WAIT).path("response"))
                    .isEqualTo(json("{\"ok\":true,\"channel\":\"project:" + project + "\"}"));
            publish(EventTypes.DEPLOYMENT_LOG, "log_entry", logData(project, DEPLOYMENT));
            // a second, independent subscriber proves the event was delivered by now
            try (var witness = SocketIoClientDriver.start(url(""), "--token", token("carol", project))) {
                witness.next("connect", WAIT);
                witness.emit("subscribe_project", project, true);
                witness.next("ack", WAIT);
                Published last = publish(EventTypes.DEPLOYMENT_LOG, "log_entry", logData(project, DEPLOYMENT));
                assertThat(witness.next("event", WAIT).path("data").path("payload"))
                        .isEqualTo(last.payload());
            }
            // a round trip on the unsubscribed connection: had it received the second event, it came before this ack
            socket.emit("unsubscribe_project", project, true);
            socket.next("ack", WAIT);
            assertThat(socket.seenOfKind("event")).hasSize(1);
        }
    }

    @Test
    void refusesAProjectTheTokenDoesNotListThroughTheAckOrAnErrorEvent() throws Exception {
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("dave", "mine"))) {
            socket.next("connect", WAIT);

            socket.emit("subscribe_project", "not-mine", true);
            JsonNode ack = socket.next("ack", WAIT).path("response");
            assertThat(ack.path("ok").asBoolean()).isFalse();
            assertThat(ack.path("error").path("code").asInt()).isEqualTo(103);
            assertThat(ack.path("error").path("message").asString()).isNotBlank();

            socket.emit("subscribe_project", "not-mine", false);
            JsonNode error = socket.next("other", WAIT);
            assertThat(error.path("name").asString()).isEqualTo("error");
            assertThat(error.path("args").get(0).path("code").asInt()).isEqualTo(103);
            assertThat(error.path("args").get(0).path("channel").asString()).isEqualTo("project:not-mine");

            socket.emit("subscribe_project", "bad name with spaces", true);
            assertThat(socket.next("ack", WAIT)
                            .path("response")
                            .path("error")
                            .path("code")
                            .asInt())
                    .isEqualTo(107);
        }
    }

    @Test
    void refusesTheDeploymentsOfAProjectTheTokenDoesNotList() throws Exception {
        String project = PROJECT + "-" + System.nanoTime();
        String theirs = project + "-theirs";
        String theirDeployment = "run-" + System.nanoTime();
        publishDeployment(EventTypes.DEPLOYMENT_STEP_STARTED, stepData(theirs, theirDeployment, "started"));
        awaitSequenced("deployment:" + theirDeployment);
        String later = theirDeployment + "-later";
        String mine = theirDeployment + "-mine";

        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("frank", project))) {
            socket.next("connect", WAIT);
            socket.emit("subscribe_deployment", theirDeployment, true);
            JsonNode refused = socket.next("ack", WAIT).path("response");
            assertThat(refused.path("ok").asBoolean()).isFalse();
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(103);
            // one nobody has heard of: allowed, and ended once it turns out to be someone else's
            socket.emit("subscribe_deployment", later, true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();
            socket.emit("subscribe_deployment", mine, true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();

            publishDeployment(EventTypes.DEPLOYMENT_LOG, logData(theirs, later));
            JsonNode ended = socket.next("other", WAIT);
            assertThat(ended.path("name").asString()).isEqualTo("error");
            assertThat(ended.path("args").get(0).path("code").asInt()).isEqualTo(103);
            assertThat(ended.path("args").get(0).path("channel").asString()).isEqualTo("deployment:" + later);
            publishDeployment(EventTypes.DEPLOYMENT_STEP_STARTED, stepData(theirs, theirDeployment, "second"));
            publishDeployment(EventTypes.DEPLOYMENT_LOG, logData(project, mine));

            JsonNode event = socket.next("event", WAIT).path("data");
            assertThat(event.path("payload").path("deployment_id").asString()).isEqualTo(mine);
            assertThat(socket.seenOfKind("event")).hasSize(1);
        }
    }

    @Test
    void answersEachOfAHundredSubscribesSentAtOnceAndStaysConnected() throws Exception {
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            projects.add("burst-" + i);
        }
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("burst-grace", "*"))) {
            List<JsonNode> acks = subscribeAtOnce(socket, projects);

            assertThat(acks).allSatisfy(ack -> assertThat(
                            ack.path("response").path("ok").asBoolean())
                    .as("%s", ack)
                    .isTrue());
            assertThat(acks)
                    .extracting(ack -> ack.path("arg").asString())
                    .containsExactlyInAnyOrderElementsOf(projects);
            assertThat(socket.seenOfKind("disconnect")).isEmpty();
        }
    }

    @Test
    void answersEachOfAThousandSubscribesSentAtOnceAndRefusesThoseOverTheLimitOneByOne() throws Exception {
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            projects.add("flood-" + i);
        }
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("flood-henry", "*"))) {
            List<JsonNode> acks = subscribeAtOnce(socket, projects).stream()
                    .map(ack -> ack.path("response"))
                    .toList();

            // 128 subscriptions per connection, two of them the personal channels
            assertThat(acks.stream().filter(ack -> ack.path("ok").asBoolean())).hasSize(126);
            assertThat(acks.stream().filter(ack -> !ack.path("ok").asBoolean()))
                    .allSatisfy(ack ->
                            assertThat(ack.path("error").path("code").asInt()).isEqualTo(106));
            socket.emit("unsubscribe_project", "flood-0", true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();
            assertThat(socket.seenOfKind("disconnect")).isEmpty();
        }
    }

    @Test
    void refusesAForgedTokenWithConnectErrorAndNoRetry() throws Exception {
        String forged = DevTokens.builder("mallory")
                .secret("not-the-server-secret-but-32-bytes-long!")
                .projects(List.of("*"))
                .sign();
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", forged)) {
            JsonNode error = socket.next("connect_error", WAIT);
            assertThat(error.path("message").asString()).isEqualTo("unauthorized");
            assertThat(error.path("data").path("code").asInt()).isEqualTo(SocketIoProtocol.UNAUTHORIZED);
            assertThat(error.path("active").asBoolean()).isFalse();
        }
    }

    @Test
    void refusesAnExpiredOrMissingToken() throws Exception {
        String expired = DevTokens.builder("erin")
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign();
        try (var socket = SocketIoClientDriver.start(url(""), "--token", expired)) {
            JsonNode error = socket.next("connect_error", WAIT);
            assertThat(error.path("data").path("code").asInt()).isEqualTo(109);
        }
        try (var socket = SocketIoClientDriver.start(url(""))) {
            JsonNode error = socket.next("connect_error", WAIT);
            assertThat(error.path("data").path("code").asInt()).isEqualTo(SocketIoProtocol.UNAUTHORIZED);
            assertThat(error.path("active").asBoolean()).isFalse();
        }
    }

    @Test
    void refusesSource002sFrontendWithoutATokenWhileNoProjectIsPublic(@TempDir Path output) throws Exception {
        Path stderr = output.resolve("stderr");
        Process client = new ProcessBuilder(
                        "node",
                        "source002-client.js",
                        "http://localhost:" + port,
                        PROJECT,
                        DEPLOYMENT,
                        "--timeout-ms",
                        "20000")
                .directory(SocketIoClientDriver.installDirectory().toFile())
                .redirectOutput(output.resolve("stdout").toFile())
                .redirectError(stderr.toFile())
                .start();
        try {
            assertThat(client.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            client.destroy();
        }

        // 2: connect_error from the server, after which the stock client gives up
        assertThat(client.exitValue()).isEqualTo(2);
        assertThat(Files.readString(stderr))
                .contains("connect_error: unauthorized")
                .contains("\"code\":101");
        assertThat(Files.readString(output.resolve("stdout"))).isEmpty();
    }

    @Test
    void refusesAConnectionOverThePerUserLimitWithConnectError() throws Exception {
        String judy = token("judy", PROJECT);
        try (var first = SocketIoClientDriver.start(url(""), "--token", judy);
                var second = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", judy)) {
            first.next("connect", WAIT);
            second.next("connect", WAIT);
            try (var third = SocketIoClientDriver.start(url(""), "--token", judy)) {
                JsonNode error = third.next("connect_error", WAIT);
                assertThat(error.path("data").path("code").asInt()).isEqualTo(106);
                assertThat(error.path("active").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void refusesUnknownNamespacesLikeTheStockServer() throws Exception {
        try (var socket = SocketIoClientDriver.start(url("/nope"), "--token", token("frank"))) {
            JsonNode error = socket.next("connect_error", WAIT);
            assertThat(error.path("message").asString()).isEqualTo("Invalid namespace");
        }
    }

    @Test
    void stockClientStaysConnectedAcrossServerPings() throws Exception {
        try (var socket = SocketIoClientDriver.start(url(""), "--token", token("grace", PROJECT))) {
            socket.next("connect", WAIT);
            // ping interval 500 ms, silence limit 1.5 s: three pings answered means the pong path works
            for (int i = 0; i < 3; i++) {
                socket.next("ping", WAIT);
            }
            socket.emit("subscribe_project", PROJECT, true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();
            assertThat(socket.seenOfKind("disconnect")).isEmpty();
        }
    }

    @Test
    void administratorsDisconnectEndsTheSessionWithoutAutomaticReconnect() throws Exception {
        try (var socket = SocketIoClientDriver.start(url(SEED_NAMESPACE), "--token", token("ivan", PROJECT))) {
            socket.next("connect", WAIT);
            await().atMost(WAIT).until(() -> !hub.connectionsOf("ivan").isEmpty());

            hub.connectionsOf("ivan").forEach(connection -> connection.close(CloseReason.FORCED));

            assertThat(socket.next("disconnect", WAIT).path("reason").asString())
                    .isEqualTo("io server disconnect");
            await().atMost(WAIT).until(() -> hub.connectionsOf("ivan").isEmpty());
        }
    }

    @Test
    void closesAConnectionThatSendsAnEventBeforeConnecting() {
        var closeCode = new AtomicInteger();
        List<String> frames = HttpClient.create(ConnectionProvider.newConnection())
                .websocket()
                .uri("ws://localhost:" + port + "/socket.io/?EIO=4&transport=websocket")
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> closeCode.set(status.code()));
                    return out.sendString(Mono.just("42[\"subscribe_project\",\"" + PROJECT + "\"]"))
                            .then()
                            .thenMany(in.receive().asString());
                })
                .collectList()
                .block(WAIT);

        assertThat(frames).hasSize(1).first().asString().startsWith("0{");
        assertThat(closeCode.get()).isEqualTo(3501);
    }

    @Test
    void answersPollingAndOtherNonUpgradeRequestsWithTheStockServers400Json() {
        client.get()
                .uri("/socket.io/?EIO=4&transport=polling&t=Pabc")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class)
                .isEqualTo("{\"code\":0,\"message\":\"Transport unknown\"}");
        client.get()
                .uri("/socket.io/?EIO=4&transport=websocket")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(String.class)
                .isEqualTo("{\"code\":3,\"message\":\"Bad request\"}");
        client.post()
                .uri("/socket.io/?EIO=4&transport=websocket")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(String.class)
                .isEqualTo("{\"code\":2,\"message\":\"Bad handshake method\"}");
        client.get()
                .uri("/socket.io?EIO=3&transport=websocket")
                .header(HttpHeaders.UPGRADE, "websocket")
                .header(HttpHeaders.CONNECTION, "Upgrade")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody(String.class)
                .isEqualTo("{\"code\":5,\"message\":\"Unsupported protocol version\"}");
    }

    @Test
    void rawClientGetsTheOpenPacketAndIsClosedWhenItNeverAnswersPings() {
        var frames = new LinkedBlockingQueue<String>();
        var closeCode = new AtomicInteger();
        HttpClient.create(ConnectionProvider.newConnection())
                .websocket(WebsocketClientSpec.builder().build())
                .uri("ws://localhost:" + port + "/socket.io/?EIO=4&transport=websocket")
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> closeCode.set(status.code()));
                    // CONNECT properly, then stay silent: no pong
                    return out.sendString(Mono.just("40{\"token\":\"" + token("heidi", PROJECT) + "\"}"))
                            .then()
                            .thenMany(in.receive().asString().doOnNext(frames::add))
                            .then();
                })
                .blockLast(WAIT);

        List<String> received = new ArrayList<>(frames);
        assertThat(received).isNotEmpty();
        JsonNode open = json(received.get(0).substring(1));
        assertThat(received.get(0)).startsWith("0");
        assertThat(open.path("sid").asString()).isNotBlank();
        assertThat(open.path("upgrades")).isEmpty();
        assertThat(open.path("pingInterval").asLong()).isEqualTo(500);
        assertThat(open.path("pingTimeout").asLong()).isEqualTo(1000);
        assertThat(open.path("maxPayload").asLong()).isPositive();
        assertThat(received.get(1)).startsWith("40{\"sid\":\"");
        assertThat(received).contains("2");
        assertThat(closeCode.get()).isEqualTo(3012);
    }

    @Test
    void closesAConnectionThatNeverConnectsANamespace() {
        var closeCode = new AtomicInteger();
        List<String> frames = HttpClient.create(ConnectionProvider.newConnection())
                .websocket()
                .uri("ws://localhost:" + port + "/socket.io/?EIO=4&transport=websocket")
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> closeCode.set(status.code()));
                    // answers pings, so only the missing CONNECT can end it
                    return in.receive()
                            .asString()
                            .flatMap(frame -> "2".equals(frame)
                                    ? Mono.from(out.sendString(Mono.just("3"))).thenReturn(frame)
                                    : Mono.just(frame));
                })
                .collectList()
                .block(WAIT);

        assertThat(frames).first().asString().startsWith("0{");
        assertThat(closeCode.get()).isEqualTo(3501);
    }

    /** Connected, it emits {@code subscribe_project} for every project in one go; answers each acknowledgement. */
    private static List<JsonNode> subscribeAtOnce(SocketIoClientDriver socket, List<String> projects) throws Exception {
        socket.next("connect", WAIT);
        socket.emitAll("subscribe_project", projects, true);
        List<JsonNode> acks = new ArrayList<>();
        for (int i = 0; i < projects.size(); i++) {
            acks.add(socket.next("ack", WAIT));
        }
        return acks;
    }

    private record Published(String type, JsonNode payload) {}

    private Published publish(String cloudEventType, String socketIoType, String dataJson) {
        return new Published(socketIoType, publishDeployment(cloudEventType, dataJson));
    }
}
