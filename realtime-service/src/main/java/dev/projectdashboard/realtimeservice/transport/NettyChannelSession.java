package dev.projectdashboard.realtimeservice.transport;

import io.netty.channel.Channel;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Spring's Reactor Netty session plus its Netty {@link Channel}, which Spring does not expose: a close frame is
 * written behind whatever the client has not read yet, so a client that stops reading never gets it and would
 * keep the socket open; {@link #forceCloseAfter} cuts the TCP connection when the close handshake does not finish
 * in time. Created by {@link ChannelAwareUpgradeStrategy}.
 */
public final class NettyChannelSession extends ReactorNettyWebSocketSession {

    private final Channel channel;

    NettyChannelSession(
            WebsocketInbound inbound,
            WebsocketOutbound outbound,
            HandshakeInfo info,
            NettyDataBufferFactory bufferFactory,
            int maxFramePayloadLength) {
        super(inbound, outbound, info, bufferFactory, maxFramePayloadLength);
        Channel[] holder = new Channel[1];
        inbound.withConnection(connection -> holder[0] = connection.channel());
        this.channel = holder[0];
    }

    /** The underlying Netty channel (e.g. for {@code isWritable()} diagnostics); do not write to it directly. */
    public Channel channel() {
        return channel;
    }

    /**
     * Completes when the TCP connection is closed. A {@code WebSocketHandler} that completes earlier makes Reactor
     * Netty drop the connection at once, discarding the close frame still waiting behind unread data.
     */
    public Mono<Void> whenClosed() {
        return Mono.create(sink -> channel.closeFuture().addListener(future -> sink.success()));
    }

    /**
     * Closes the TCP connection after {@code grace} unless it is closed by then: no blocking, no thread, one timer
     * on the channel's event loop. A zero grace closes now.
     */
    public void forceCloseAfter(Duration grace) {
        if (!channel.isOpen()) {
            return;
        }
        if (grace.isZero()) {
            channel.close();
        } else {
            channel.eventLoop().schedule(() -> channel.close(), grace.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
