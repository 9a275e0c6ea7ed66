package dev.projectdashboard.realtimeservice.transport;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * Reactor Netty upgrade like Spring's {@code ReactorNettyRequestUpgradeStrategy}, but the handlers get a {@link
 * NettyChannelSession}, so a connection can cut its TCP connection when a client stops reading (Spring's session
 * hides the channel). Written out because Spring offers no hook to choose the session class.
 */
public final class ChannelAwareUpgradeStrategy implements RequestUpgradeStrategy {

    private final Supplier<WebsocketServerSpec.Builder> specBuilder;

    /** @param specBuilder a fresh builder per upgrade (frame size, ping handling, compression) */
    public ChannelAwareUpgradeStrategy(Supplier<WebsocketServerSpec.Builder> specBuilder) {
        this.specBuilder = specBuilder;
    }

    @Override
    public Mono<Void> upgrade(
            ServerWebExchange exchange,
            WebSocketHandler handler,
            @Nullable String subProtocol,
            Supplier<HandshakeInfo> handshakeInfoFactory) {
        ServerHttpResponse response = exchange.getResponse();
        HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        HandshakeInfo copied = handshakeInfoFactory.get();
        // Spring's handshake info carries a full copy of the request headers (a LinkedCaseInsensitiveMap with a
        // list per header, ~1.5 KB) that the session keeps for the connection's whole life; nothing here reads
        // them after the upgrade (tokens and Engine.IO checks use the exchange before it), so keep them out
        HandshakeInfo handshakeInfo = new HandshakeInfo(
                copied.getUri(),
                HttpHeaders.EMPTY,
                copied.getCookies(),
                copied.getPrincipal(),
                copied.getSubProtocol(),
                copied.getRemoteAddress(),
                copied.getAttributes(),
                copied.getLogPrefix());
        NettyDataBufferFactory bufferFactory = (NettyDataBufferFactory) response.bufferFactory();
        // setComplete runs WebFlux's pre-commit actions (headers) before Reactor Netty takes the connection over
        return response.setComplete().then(Mono.defer(() -> {
            WebsocketServerSpec.Builder builder = specBuilder.get();
            if (subProtocol != null) {
                builder.protocols(subProtocol);
            }
            WebsocketServerSpec spec = builder.build();
            return reactorResponse.sendWebsocket(
                    (inbound, outbound) -> handler.handle(new NettyChannelSession(
                            inbound, outbound, handshakeInfo, bufferFactory, spec.maxFramePayloadLength())),
                    spec);
        }));
    }
}
