package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.starter.security.DevTokens;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * What an adversarial probe sends the edge: WebSocket upgrades with missing, forged, expired and malformed tokens (an
 * HTTP 401 problem before any upgrade, the backend never asked), an upgrade the backend refuses (one log line, no
 * stack trace), oversized headers and tokens in query strings where they do not belong.
 */
@ExtendWith(OutputCaptureExtension.class)
class GatewayAdversarialTests extends StubbedGatewayTests {

    private static final String NATIVE_WS = "/project-dashboard/ws";

    static Stream<Arguments> refusedTokens() {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        Instant future = Instant.now().plus(Duration.ofDays(30));
        return Stream.of(
                Arguments.of("no token", null),
                Arguments.of("empty token", ""),
                Arguments.of("not a JWT", "not-a-jwt"),
                Arguments.of(
                        "signed with another secret",
                        DevTokens.builder("alice")
                                .secret("another-secret-that-is-long-enough-0123456789")
                                .sign()),
                Arguments.of(
                        "expired",
                        DevTokens.builder("alice")
                                .issuedAt(past)
                                .expiresAt(past.plusSeconds(60))
                                .sign()),
                Arguments.of(
                        "issued in the future",
                        DevTokens.builder("alice")
                                .issuedAt(future)
                                .expiresAt(future.plusSeconds(60))
                                .sign()),
                Arguments.of("sub with a colon", DevTokens.builder("user:alice").sign()),
                Arguments.of(
                        "sub of 200 characters",
                        DevTokens.builder("a".repeat(200)).sign()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedTokens")
    void refusesANativeWebSocketUpgradeWithoutAValidTokenBeforeUpgrading(String what, String token) {
        int before = BACKENDS.named("realtime-service").receivedPaths().size();

        upgrade(token == null ? NATIVE_WS : NATIVE_WS + "?token=" + token)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .value(HttpHeaders.WWW_AUTHENTICATE, challenge -> assertThat(challenge)
                        .startsWith("Bearer"))
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(401)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).isNotBlank());
        assertThat(BACKENDS.named("realtime-service").receivedPaths()).hasSize(before);
    }

    @Test
    void refusesATokenlessNativeWebSocketAsAWebSocketClientSeesIt() {
        Mono<Void> session = new ReactorNettyWebSocketClient()
                .execute(
                        URI.create("ws://127.0.0.1:" + port + NATIVE_WS),
                        webSocket -> webSocket.receive().then());

        assertThatThrownBy(() -> session.block(Duration.ofSeconds(10)))
                .isInstanceOf(WebSocketClientHandshakeException.class)
                .satisfies(error -> assertThat(((WebSocketClientHandshakeException) error)
                                .response()
                                .status()
                                .code())
                        .isEqualTo(401));
    }

    @Test
    void upgradesANativeWebSocketWithAValidToken() {
        String token = DevTokens.userToken("alice", List.of("user"));

        assertThat(echo(NATIVE_WS + "?token=" + token)).isEqualTo("realtime-service /ws?token=" + token + " hello");
    }

    @Test
    void upgradesANativeWebSocketWithAValidBearerHeader() {
        String token = DevTokens.userToken("alice", List.of("user"));
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(token);

        StepVerifier.create(new ReactorNettyWebSocketClient()
                        .execute(URI.create("ws://127.0.0.1:" + port + NATIVE_WS), headers, webSocket -> webSocket
                                .send(Mono.just(webSocket.textMessage("hi")))
                                .then(webSocket.receive().next().then())))
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    /** Socket.IO sends its token after the upgrade (CONNECT packet): realtime-service answers it there. */
    @Test
    void leavesSocketIoUpgradesToRealtimeService() {
        assertThat(echo("/project-dashboard/ws/?EIO=4&transport=websocket"))
                .isEqualTo("realtime-service /socket.io/?EIO=4&transport=websocket hello");
        assertThat(echo("/socket.io/?EIO=4&transport=websocket"))
                .isEqualTo("realtime-service /socket.io/?EIO=4&transport=websocket hello");
    }

    /**
     * The gateway cannot know every reason realtime-service refuses (a connection limit, a revoked user): the client
     * was upgraded already, so the upstream's refusal closes its WebSocket, and the log says so in one line.
     */
    @Test
    void logsAnUpstreamHandshakeRefusalInOneLine(CapturedOutput output) {
        String token = DevTokens.userToken("alice", List.of("user"));
        Mono<Void> session = new ReactorNettyWebSocketClient()
                .execute(
                        URI.create("ws://127.0.0.1:" + port + NATIVE_WS + "?" + StubBackend.REFUSE_UPGRADE + "=1&token="
                                + token),
                        webSocket -> webSocket.receive().then());

        StepVerifier.create(session).expectComplete().verify(Duration.ofSeconds(10));

        assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain("Operator called default onErrorDropped");
        assertThat(output.getAll().lines().filter(line -> line.contains("WebSocket") && line.contains("refused")))
                .hasSize(1);
    }

    @Test
    void refusesOversizedHeadersBeforeTheyReachABackend() {
        int before = BACKENDS.named("file-service").receivedPaths().size();

        client.get()
                .uri("/project-dashboard/api/v1/files/info/x")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + DevTokens.userToken("alice", List.of("user")))
                .header("X-Padding", "p".repeat(20 * 1024))
                .exchange()
                .expectStatus()
                .value(status -> assertThat(status).isIn(400, 413, 431));
        assertThat(BACKENDS.named("file-service").receivedPaths()).hasSize(before);
    }

    @Test
    void ignoresAQueryTokenOutsideTheWebSocketRoute() {
        int before = BACKENDS.named("file-service").receivedPaths().size();

        client.get()
                .uri("/project-dashboard/api/v1/files/info/x?token=" + DevTokens.adminToken("root"))
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(BACKENDS.named("file-service").receivedPaths()).hasSize(before);
    }

    /** With no CORS origin configured (the default) the gateway is same-origin only. */
    @Test
    void refusesCrossOriginRequestsWhenNoOriginIsConfigured() {
        client.method(HttpMethod.OPTIONS)
                .uri("/project-dashboard/api/v1/files/info/x")
                .header(HttpHeaders.ORIGIN, "https://elsewhere.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET")
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        // a cross-site page opening the dashboard's WebSocket with a token it got hold of
        upgrade(
                        "/project-dashboard/ws?token=" + DevTokens.userToken("alice", List.of("user")),
                        headers -> headers.setOrigin("https://elsewhere.example"))
                .expectStatus()
                .isForbidden();
    }

    private String echo(String path) {
        return WebSocketEcho.through(port, path);
    }
}
