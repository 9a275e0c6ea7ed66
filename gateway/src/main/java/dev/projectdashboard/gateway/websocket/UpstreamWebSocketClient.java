package dev.projectdashboard.gateway.websocket;

import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import org.springframework.web.reactive.socket.client.WebSocketClient;
import reactor.core.publisher.Mono;

/**
 * The client Spring Cloud Gateway opens upstream WebSockets with, reporting a failed one in one log line. The client
 * was upgraded already when realtime-service refuses (a connection limit, a user it no longer admits) or cannot be
 * reached, so its WebSocket is closed; Reactor Netty would log each refusal as a warning with a 40-line stack trace
 * (silenced in application.yml), which a client retrying in a loop turns into a flood. The line names the upstream
 * path without its query, which carries the user's token.
 */
@Primary
@Component
class UpstreamWebSocketClient implements WebSocketClient {

    private static final Logger log = LoggerFactory.getLogger(UpstreamWebSocketClient.class);

    private final ReactorNettyWebSocketClient gatewayClient;

    UpstreamWebSocketClient(ReactorNettyWebSocketClient gatewayClient) {
        this.gatewayClient = gatewayClient;
    }

    @Override
    public Mono<Void> execute(URI url, WebSocketHandler handler) {
        return execute(url, new HttpHeaders(), handler);
    }

    @Override
    public Mono<Void> execute(URI url, HttpHeaders headers, WebSocketHandler handler) {
        return gatewayClient.execute(url, headers, handler).doOnError(error -> log.warn(describe(url, error)));
    }

    static String describe(URI url, Throwable error) {
        String upstream = url.getScheme() + "://" + url.getAuthority() + url.getRawPath();
        if (error instanceof WebSocketClientHandshakeException refused && refused.response() != null) {
            return upstream + " refused the WebSocket handshake with "
                    + refused.response().status() + "; the client's WebSocket is closed";
        }
        return "WebSocket to " + upstream + " failed: " + error + "; the client's WebSocket is closed";
    }
}
