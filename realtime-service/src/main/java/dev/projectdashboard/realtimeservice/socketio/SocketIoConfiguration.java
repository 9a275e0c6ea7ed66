package dev.projectdashboard.realtimeservice.socketio;

import dev.projectdashboard.realtimeservice.hub.Hub;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.policy.PublicAccess;
import dev.projectdashboard.realtimeservice.transport.ConnectionSupport;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;

/** Maps {@code /socket.io/**} to the Socket.IO endpoint, ahead of the controllers and router functions. */
@Configuration(proxyBeanMethods = false)
public class SocketIoConfiguration {

    /** Before RouterFunctionMapping (-1) and the annotated controllers (0); the native endpoint maps /ws on its own. */
    static final int ORDER = -2;

    /** @param webSocketService the shared upgrade (force-closable sessions, frame limit, no compression) */
    @Bean
    public SocketIoEndpoint socketIoEndpoint(
            WebSocketService webSocketService,
            ConnectionSupport support,
            Hub hub,
            ReactiveJwtDecoder jwtDecoder,
            SocketIoProperties properties,
            HubProperties hubProperties,
            PublicAccess publicAccess) {
        return new SocketIoEndpoint(
                webSocketService, support, hub, jwtDecoder, properties, hubProperties, publicAccess);
    }

    @Bean
    public HandlerMapping socketIoHandlerMapping(SocketIoEndpoint endpoint) {
        // like the reference server, everything under the path belongs to Engine.IO (the client asks for /socket.io/)
        return new SimpleUrlHandlerMapping(Map.of("/socket.io", endpoint, "/socket.io/**", endpoint), ORDER);
    }
}
