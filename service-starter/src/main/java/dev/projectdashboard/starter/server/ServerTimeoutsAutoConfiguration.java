package dev.projectdashboard.starter.server;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/**
 * A read timeout on every service's Reactor Netty server: without one, a request whose body stalls (Content-Length
 * promised, bytes never sent) holds its connection forever. Boot has no property for it.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({HttpServer.class, NettyServerCustomizer.class})
@EnableConfigurationProperties(DashboardServerProperties.class)
public class ServerTimeoutsAutoConfiguration {

    @Bean
    public NettyServerCustomizer dashboardReadTimeout(DashboardServerProperties properties) {
        DroppedReadTimeouts.install();
        // Reactor Netty arms it when a request's head arrives and disarms it with the body's last byte, so it never
        // cuts a response being written; the remover disarms it on a WebSocket upgrade, where Reactor Netty does not
        return server -> server.readTimeout(properties.readTimeout())
                .doOnChannelInit((observer, channel, remoteAddress) -> {
                    // HTTP/1.1 connections only: an h2c connection has no such codec and no 101 upgrade
                    if (channel.pipeline().get(NettyPipeline.HttpCodec) != null) {
                        channel.pipeline()
                                .addAfter(
                                        NettyPipeline.HttpCodec,
                                        WebSocketUpgradeTimeoutRemover.NAME,
                                        new WebSocketUpgradeTimeoutRemover());
                    }
                });
    }
}
