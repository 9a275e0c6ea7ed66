package dev.projectdashboard.starter.server;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.netty.NettyPipeline;

/**
 * Ends the request's read timeout when the server answers a WebSocket upgrade. Reactor Netty (1.3.8) arms it for the
 * handshake request and disarms it on the request's last content, but an endpoint that upgrades before that content
 * arrives (the usual case: the handshake is answered while the request head is handled) leaves it armed on the
 * WebSocket, which it then closes after the timeout of silence.
 */
final class WebSocketUpgradeTimeoutRemover extends ChannelOutboundHandlerAdapter {

    static final String NAME = "dashboard.webSocketUpgradeTimeoutRemover";

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) throws Exception {
        if (message instanceof HttpResponse response
                && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
            ChannelHandler readTimeout = context.pipeline().get(NettyPipeline.ReadTimeoutHandler);
            if (readTimeout != null) {
                context.pipeline().remove(readTimeout);
            }
            // no further HTTP requests on an upgraded connection
            context.pipeline().remove(this);
        }
        super.write(context, message, promise);
    }
}
