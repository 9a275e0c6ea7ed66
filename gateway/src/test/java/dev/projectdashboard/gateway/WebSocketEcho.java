package dev.projectdashboard.gateway;

import java.net.URI;
import java.time.Duration;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Sends {@code hello} over a WebSocket through the gateway and returns the first frame a stub backend echoes. */
final class WebSocketEcho {

    private WebSocketEcho() {}

    static String through(int port, String path) {
        Sinks.One<String> echo = Sinks.one();
        Mono<Void> session = new ReactorNettyWebSocketClient()
                .execute(URI.create("ws://127.0.0.1:" + port + path), webSocket -> webSocket
                        .send(Mono.just(webSocket.textMessage("hello")))
                        .then(webSocket
                                .receive()
                                .map(WebSocketMessage::getPayloadAsText)
                                .next()
                                .doOnNext(echo::tryEmitValue)
                                .then()));
        StepVerifier.create(session).expectComplete().verify(Duration.ofSeconds(10));
        return echo.asMono().block(Duration.ofSeconds(1));
    }
}
