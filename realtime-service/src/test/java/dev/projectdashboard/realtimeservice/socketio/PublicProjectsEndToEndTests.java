package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.e2e.WsTestClient;
import dev.projectdashboard.realtimeservice.e2e.WsTestClient.Frame;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * The deployment dashboard's frontend (docs/contracts.md) unchanged: with {@code dashboard.realtime.public.projects} set, connections without a token
 * (Socket.IO and native) may read the public projects' {@code project:} and {@code deployment:} channels, and
 * nothing else, never publish; a token that is there but bad is still refused.
 */
@LocalStackTest
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dashboard.realtime.public.projects=" + PublicProjectsEndToEndTests.PUBLIC_PROJECT,
            "dashboard.realtime.hub.max-connections-per-address=2",
            // open to client publish for users: still never for a connection without a token
            "dashboard.realtime.client-publish.namespaces=project"
        })
@AutoConfigureWebTestClient(timeout = "PT20S")
class PublicProjectsEndToEndTests extends SocketIoServiceTests {

    static final String PUBLIC_PROJECT = "axi-star-cloud";
    private static final String PRIVATE_PROJECT = "internal-tools";

    private String base() {
        return url("");
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void source002sFrontendWithoutATokenReceivesTheDeploymentEventsOfAPublicProject(@TempDir Path output)
            throws Exception {
        String deployment = unique("run");
        Path stdout = output.resolve("stdout");
        Path stderr = output.resolve("stderr");
        Process client = new ProcessBuilder(
                        "node", "source002-client.js", base(), PUBLIC_PROJECT, deployment, "--timeout-ms", "20000")
                .directory(SocketIoClientDriver.installDirectory().toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        String step = stepData(PUBLIC_PROJECT, deployment, "started");
        try {
            // its subscribes go out right after io(), without acknowledgements: publish until one reaches it
            await().atMost(WAIT).pollInterval(Duration.ofMillis(300)).until(() -> {
                publishDeployment(EventTypes.DEPLOYMENT_STEP_STARTED, step);
                return !client.isAlive();
            });
        } finally {
            client.destroy();
        }

        assertThat(client.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue())
                .as("exit status; stderr: %s", Files.readString(stderr))
                .isZero();
        JsonNode event =
                SocketIoClientDriver.JSON.readTree(Files.readString(stdout).trim());
        assertThat(event.path("type").asString()).isEqualTo("step_started");
        assertThat(event.path("payload")).isEqualTo(SocketIoClientDriver.JSON.readTree(step));
        assertThat(Files.readString(stderr)).contains("ready");
    }

    @Test
    void aSocketWithoutATokenReadsOnlyThePublicProjects() throws Exception {
        String privateDeployment = unique("priv");
        publishDeployment(EventTypes.DEPLOYMENT_STEP_STARTED, stepData(PRIVATE_PROJECT, privateDeployment, "started"));
        awaitSequenced("deployment:" + privateDeployment);
        String unknownDeployment = unique("later");

        try (var socket = SocketIoClientDriver.start(base() + SEED_NAMESPACE, "--no-reconnect")) {
            assertThat(socket.next("connect", WAIT).path("nsp").asString()).isEqualTo(SEED_NAMESPACE);

            socket.emit("subscribe_project", PRIVATE_PROJECT, true);
            assertThat(errorCode(socket.next("ack", WAIT))).isEqualTo(103);
            socket.emit("subscribe_deployment", privateDeployment, true);
            assertThat(errorCode(socket.next("ack", WAIT))).isEqualTo(103);
            // a deployment nobody has heard of yet: allowed, and it gets only what turns out to be public
            socket.emit("subscribe_deployment", unknownDeployment, true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();
            socket.emit("subscribe_project", PUBLIC_PROJECT, true);
            assertThat(socket.next("ack", WAIT).path("response").path("ok").asBoolean())
                    .isTrue();

            publishDeployment(EventTypes.DEPLOYMENT_LOG, logData(PRIVATE_PROJECT, unknownDeployment));
            JsonNode ended = socket.next("other", WAIT);
            assertThat(ended.path("name").asString()).isEqualTo("error");
            assertThat(ended.path("args").get(0).path("code").asInt()).isEqualTo(103);
            assertThat(ended.path("args").get(0).path("channel").asString())
                    .isEqualTo("deployment:" + unknownDeployment);

            String publicDeployment = unique("pub");
            publishDeployment(EventTypes.DEPLOYMENT_LOG, logData(PUBLIC_PROJECT, publicDeployment));
            JsonNode event = socket.next("event", WAIT).path("data");
            assertThat(event.path("type").asString()).isEqualTo("log_entry");
            assertThat(event.path("payload").path("deployment_id").asString()).isEqualTo(publicDeployment);
            assertThat(socket.seenOfKind("event")).hasSize(1);
        }
    }

    @Test
    void aSocketWithABadTokenIsRefusedNotTakenAsPublic() throws Exception {
        String forged = DevTokens.builder("mallory")
                .secret("not-the-server-secret-but-32-bytes-long!")
                .sign();
        for (String token : List.of(forged, "")) {
            try (var socket = SocketIoClientDriver.start(base() + SEED_NAMESPACE, "--token", token)) {
                JsonNode error = socket.next("connect_error", WAIT);
                assertThat(error.path("data").path("code").asInt()).isEqualTo(SocketIoProtocol.UNAUTHORIZED);
                assertThat(error.path("active").asBoolean()).isFalse();
            }
        }
    }

    @Test
    void aNativeClientWithoutATokenReadsThePublicProjectOnlyAndNeverPublishes() throws InterruptedException {
        try (WsTestClient ws = WsTestClient.connect(port, null)) {
            Frame established = ws.awaitEvent("connection:established");
            assertThat(established.json().path("data").path("user_id").asString())
                    .startsWith("anonymous@");

            ws.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"project:" + PUBLIC_PROJECT + "\"}}");
            assertThat(ws.awaitEvent("subscribed")
                            .json()
                            .path("data")
                            .path("channel")
                            .asString())
                    .isEqualTo("project:" + PUBLIC_PROJECT);
            for (String channel : List.of(
                    "project:" + PRIVATE_PROJECT,
                    "task:" + unique("t"),
                    "user:" + unique("u"),
                    "system:notifications",
                    "device:cam-1")) {
                ws.send("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
                Frame refused = ws.awaitEvent("error");
                assertThat(refused.json().path("data").path("code").asInt())
                        .as(channel)
                        .isEqualTo(103);
                assertThat(refused.json().path("data").path("channel").asString())
                        .isEqualTo(channel);
            }
            ws.send("{\"event\":\"publish\",\"data\":{\"channel\":\"project:" + PUBLIC_PROJECT
                    + "\",\"data\":{\"typing\":true}}}");
            assertThat(ws.awaitEvent("error").json().path("data").path("code").asInt())
                    .isEqualTo(103);

            // no personal channels: a notification to every user does not reach it, the public project does
            client.post()
                    .uri("/api/v1/realtime/notifications?title=all&message=users")
                    .header("X-Api-Key", DevDefaults.API_KEY)
                    .exchange()
                    .expectStatus()
                    .isOk();
            String deployment = unique("pub");
            publishDeployment(EventTypes.DEPLOYMENT_LOG, logData(PUBLIC_PROJECT, deployment));
            List<Frame> before = new ArrayList<>();
            Frame log = ws.await(frame -> frame.event().equals("deployment:log"), before);
            assertThat(log.json().path("data").path("deployment_id").asString()).isEqualTo(deployment);
            ws.send("{\"event\":\"ping\"}");
            ws.await(frame -> frame.event().equals("pong"), before);
            assertThat(before).noneMatch(frame -> frame.event().equals("notification"));
        }
    }

    @Test
    void aNativeClientWithABadTokenIsRefusedBeforeTheUpgrade() {
        try (WsTestClient ws = WsTestClient.connect(port, "garbage")) {
            assertThat(ws.awaitFailure(Duration.ofSeconds(10))).hasMessageContaining("401");
        }
    }

    @Test
    void connectionsWithoutATokenAreLimitedPerClientAddress() {
        // the gateway adds X-Forwarded-For; its last entry is the address a connection is counted under
        String address = "198.51.100." + ThreadLocalRandom.current().nextInt(1, 255);
        List<RawSocket> sockets = new ArrayList<>();
        try {
            sockets.add(RawSocket.open(port, "203.0.113.1, " + address));
            sockets.add(RawSocket.open(port, address));
            for (RawSocket socket : sockets) {
                assertThat(socket.firstFrame()).contains("connection:established");
            }
            RawSocket third = RawSocket.open(port, address);
            sockets.add(third);
            assertThat(third.closeCode()).isEqualTo(3504);
            // another address is not affected
            RawSocket elsewhere = RawSocket.open(port, "192.0.2.77");
            sockets.add(elsewhere);
            assertThat(elsewhere.firstFrame()).contains("connection:established");
        } finally {
            sockets.forEach(RawSocket::dispose);
        }
    }

    /** A native WebSocket without a token, sent as if through the gateway (with X-Forwarded-For). */
    private record RawSocket(
            LinkedBlockingQueue<String> frames, AtomicInteger closeStatus, reactor.core.Disposable connection) {

        static RawSocket open(int port, String forwardedFor) {
            LinkedBlockingQueue<String> frames = new LinkedBlockingQueue<>();
            AtomicInteger closeStatus = new AtomicInteger();
            reactor.core.Disposable connection = HttpClient.create(ConnectionProvider.newConnection())
                    .headers(headers -> headers.add("X-Forwarded-For", forwardedFor))
                    .websocket()
                    .uri("ws://localhost:" + port + "/ws")
                    .handle((in, out) -> {
                        in.receiveCloseStatus().subscribe(status -> closeStatus.set(status.code()));
                        return in.receive().asString().doOnNext(frames::add).then(Mono.never());
                    })
                    .subscribe();
            return new RawSocket(frames, closeStatus, connection);
        }

        String firstFrame() {
            try {
                String frame = frames.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
                return frame == null ? "" : frame;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "";
            }
        }

        int closeCode() {
            await().atMost(WAIT).until(() -> closeStatus.get() != 0);
            return closeStatus.get();
        }

        void dispose() {
            connection.dispose();
        }
    }

    private static int errorCode(JsonNode ack) {
        return ack.path("response").path("error").path("code").asInt();
    }
}
