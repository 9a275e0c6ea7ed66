package dev.projectdashboard.realtimeservice.config;

import dev.projectdashboard.realtimeservice.nativews.NativeEndpoint;
import dev.projectdashboard.realtimeservice.policy.PublicAccessProperties;
import dev.projectdashboard.realtimeservice.transport.ChannelAwareUpgradeStrategy;
import dev.projectdashboard.realtimeservice.transport.ConnectionProperties;
import dev.projectdashboard.starter.security.DashboardSecurityCustomizer;
import io.micrometer.observation.ObservationPredicate;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import reactor.netty.http.server.WebsocketServerSpec;

/**
 * WebSocket wiring: the upgrade for every WebSocket endpoint (native and Socket.IO) and the {@code /ws} mapping.
 * The Socket.IO endpoint maps {@code /socket.io/**} itself.
 */
@Configuration(proxyBeanMethods = false)
public class WebSocketConfig {

    /**
     * Upgrades with a session that can be force-closed; frames over {@code max-frame-size} close with 1009 (Netty),
     * client pings are answered by Netty and our pongs reach the handler, no permessage-deflate (a deflater per
     * connection costs more memory than the whole idle connection).
     */
    @Bean
    public WebSocketService webSocketService(ConnectionProperties properties) {
        int maxFrame = (int) properties.maxFrameSize().toBytes();
        return new HandshakeWebSocketService(new ChannelAwareUpgradeStrategy(() -> WebsocketServerSpec.builder()
                .maxFramePayloadLength(maxFrame)
                .handlePing(false)
                .compress(false)));
    }

    /**
     * No {@code http.server.requests} observation for WebSocket upgrades. The observation of an upgraded request
     * lasts as long as the connection (its "response" is the whole session), so its timing says nothing, and every
     * open connection kept its context, key values and long-task sample alive: ~1.5 KB of the ~18 KB heap an idle
     * connection cost (realtime benchmark). Plain HTTP requests (the API, Engine.IO polling) are still observed.
     */
    @Bean
    public ObservationPredicate noWebSocketUpgradeObservations() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && "websocket"
                        .equalsIgnoreCase(request.getCarrier().getHeaders().getUpgrade()));
    }

    @Bean
    public HandlerMapping nativeWebSocketMapping(NativeEndpoint endpoint) {
        // before the annotated controllers: /ws is only ever a WebSocket
        return new SimpleUrlHandlerMapping(Map.of(NativeEndpoint.PATH, endpoint), Ordered.HIGHEST_PRECEDENCE + 10);
    }

    /**
     * {@code /ws} without a token: in local development ({@code allow-anonymous}), or for the public projects'
     * readers ({@code dashboard.realtime.public.projects}). A token that is present is still verified (a bad one is
     * still a 401, never a downgrade to no token).
     */
    @Bean
    public DashboardSecurityCustomizer anonymousNativeWebSocket(
            ConnectionProperties connections, PublicAccessProperties publicAccess) {
        return exchanges -> {
            if (connections.allowAnonymous() || publicAccess.enabled()) {
                exchanges.pathMatchers(NativeEndpoint.PATH).permitAll();
            }
        };
    }
}
