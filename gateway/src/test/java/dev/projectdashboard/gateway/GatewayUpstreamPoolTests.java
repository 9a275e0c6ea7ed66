package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.starter.security.DevTokens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;

/**
 * The pool of upstream connections, shrunk to one per service: a request that finds it full waits the acquire timeout
 * and is a 503 naming the service; upgraded WebSockets do not take from it.
 */
@TestPropertySource(
        properties = {
            "GATEWAY_UPSTREAM_MAX_CONNECTIONS=1",
            "GATEWAY_UPSTREAM_ACQUIRE_TIMEOUT_MS=300",
        })
class GatewayUpstreamPoolTests extends StubbedGatewayTests {

    private final String token = DevTokens.userToken("pool-user", List.of("user"));

    @Test
    void answersARequestThatFindsThePoolFullWithA503Busy() {
        StubBackend files = BACKENDS.named("file-service");
        long before = files.receivedBodyBytes();
        Sinks.Many<ByteBuf> endless = Sinks.many().unicast().onBackpressureBuffer();
        // an upload whose body keeps its connection busy until it ends
        Disposable upload = HttpClient.create()
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .post()
                .uri("http://127.0.0.1:" + port + "/project-dashboard/api/v1/files/upload?task_id=t")
                .send(endless.asFlux())
                .response()
                .subscribe();
        try {
            endless.tryEmitNext(Unpooled.wrappedBuffer(new byte[1024]));
            await().atMost(Duration.ofSeconds(10)).until(() -> files.receivedBodyBytes() > before);

            expectServiceProblem(
                            client.get()
                                    .uri("/project-dashboard/api/v1/files/info/x")
                                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                                    .exchange(),
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "file-service")
                    .jsonPath("$.detail")
                    .value(detail -> assertThat((String) detail).contains("busy"));
        } finally {
            endless.tryEmitComplete();
            upload.dispose();
        }
    }

    /**
     * Two WebSocket sessions to realtime-service at once, and an HTTP request beside them, with one connection per
     * service: an upgraded WebSocket holds no pooled connection, so max-connections does not cap the sessions.
     */
    @Test
    void keepsWebSocketsOutOfThePool() {
        Sinks.One<Void> done = Sinks.one();
        List<Sinks.One<String>> echoes = List.of(Sinks.one(), Sinks.one());
        List<Disposable> sessions = echoes.stream()
                .map(echo -> new ReactorNettyWebSocketClient()
                        .execute(
                                URI.create("ws://127.0.0.1:" + port + "/project-dashboard/ws?token=" + token),
                                webSocket -> webSocket
                                        .send(Mono.just(webSocket.textMessage("hello")))
                                        .then(webSocket
                                                .receive()
                                                .next()
                                                .doOnNext(message -> echo.tryEmitValue(message.getPayloadAsText()))
                                                .then(done.asMono())))
                        .subscribe())
                .toList();
        try {
            for (Sinks.One<String> echo : echoes) {
                assertThat(echo.asMono().block(Duration.ofSeconds(10))).endsWith("hello");
            }
            client.get()
                    .uri("/project-dashboard/api/v1/realtime/stats")
                    .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                    .exchange()
                    .expectStatus()
                    .isOk();
        } finally {
            done.tryEmitEmpty();
            sessions.forEach(Disposable::dispose);
        }
    }
}
