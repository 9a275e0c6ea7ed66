package dev.projectdashboard.realtimeservice.socketio;

import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.Hub;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.policy.PublicAccess;
import dev.projectdashboard.realtimeservice.socketio.EngineIoHandshake.Refusal;
import dev.projectdashboard.realtimeservice.transport.ConnectionSupport;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;

/**
 * {@code /socket.io/}: checks the request the way the reference Engine.IO server does and answers its 400 JSON
 * when it cannot be upgraded (a polling client gets {@code {"code":0,"message":"Transport unknown"}}); otherwise
 * upgrades it and runs a {@link WebSocketConnection} speaking {@link WebSocketConnection} speaking {@link SocketIoProtocol}. A plain {@code WebHandler} rather than a {@code
 * WebSocketHandler} so the checks run before the upgrade. The HTTP request itself is public: the token comes in
 * the Socket.IO CONNECT packet, after the upgrade (or none, for a public reader when public projects are set).
 */
public class SocketIoEndpoint implements WebHandler {

    private final WebSocketService webSocketService;
    private final ConnectionSupport support;
    private final Hub hub;
    private final ReactiveJwtDecoder jwtDecoder;
    private final SocketIoProperties properties;
    private final int maxQueuedRequests;
    private final PublicAccess publicAccess;

    public SocketIoEndpoint(
            WebSocketService webSocketService,
            ConnectionSupport support,
            Hub hub,
            ReactiveJwtDecoder jwtDecoder,
            SocketIoProperties properties,
            HubProperties hubProperties,
            PublicAccess publicAccess) {
        this.webSocketService = webSocketService;
        this.support = support;
        this.hub = hub;
        this.jwtDecoder = jwtDecoder;
        this.properties = properties;
        // a client may ask for all the subscriptions it may hold at once (the deployment dashboard's frontend
        // (docs/contracts.md) subscribes on load)
        this.maxQueuedRequests = hubProperties.maxSubscriptionsPerConnection();
        this.publicAccess = publicAccess;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        Optional<Refusal> refusal = EngineIoHandshake.check(exchange.getRequest());
        if (refusal.isPresent()) {
            return refuse(exchange.getResponse(), refusal.get());
        }
        // the client's address is known only here; the CONNECT packet decides later whether it is needed
        Reader publicReader = publicAccess.enabled() ? publicAccess.reader(exchange.getRequest()) : null;
        return webSocketService.handleRequest(exchange, session -> WebSocketConnection.of(
                        session,
                        null,
                        support,
                        connection -> new SocketIoProtocol(
                                connection, hub, jwtDecoder, properties, maxQueuedRequests, publicReader))
                .run());
    }

    private static Mono<Void> refuse(ServerHttpResponse response, Refusal refusal) {
        response.setStatusCode(HttpStatus.BAD_REQUEST);
        response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
        byte[] body = refusal.json().getBytes(StandardCharsets.UTF_8);
        return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
    }
}
