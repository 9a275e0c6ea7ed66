package dev.projectdashboard.realtimeservice.nativews;

import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.Cluster;
import dev.projectdashboard.realtimeservice.hub.Hub;
import dev.projectdashboard.realtimeservice.policy.ClientPublishProperties;
import dev.projectdashboard.realtimeservice.policy.PublicAccess;
import dev.projectdashboard.realtimeservice.transport.ConnectionProperties;
import dev.projectdashboard.realtimeservice.transport.ConnectionSupport;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardAuthentication;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Clock;
import java.time.Instant;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebHandler;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /ws?token=JWT}: the native protocol endpoint. Spring Security has already verified the token (a
 * missing, forged or expired one is a 401 problem before any upgrade); this handler takes the verified user and its
 * token expiry from the exchange and upgrades. Without a token (let through only with {@code allow-anonymous} or
 * public projects) the connection is a development user or a public reader ({@link PublicAccess}). Holds what every {@link NativeProtocol} shares, so a connection
 * carries one reference instead of seven.
 */
@Component
public class NativeEndpoint implements WebHandler {

    /** Path of the endpoint. */
    public static final String PATH = "/ws";

    private final WebSocketService webSocketService;
    private final ConnectionSupport support;
    private final Hub hub;
    private final Cluster cluster;
    private final ChannelPolicy policy;
    private final ReactiveJwtDecoder jwtDecoder;
    private final ClientPublishProperties clientPublish;
    private final PublicAccess publicAccess;
    private final NativeFrames frames;

    public NativeEndpoint(
            WebSocketService webSocketService,
            ConnectionSupport support,
            Hub hub,
            Cluster cluster,
            ChannelPolicy policy,
            ReactiveJwtDecoder jwtDecoder,
            ClientPublishProperties clientPublish,
            PublicAccess publicAccess,
            JsonMapper json,
            Clock clock) {
        this.webSocketService = webSocketService;
        this.support = support;
        this.hub = hub;
        this.cluster = cluster;
        this.policy = policy;
        this.jwtDecoder = jwtDecoder;
        this.clientPublish = clientPublish;
        this.publicAccess = publicAccess;
        this.frames = new NativeFrames(json, clock);
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange) {
        ConnectionProperties properties = support.properties();
        return exchange.getPrincipal()
                .filter(DashboardAuthentication.class::isInstance)
                .cast(DashboardAuthentication.class)
                .map(authentication -> {
                    if (!Reader.isUserId(authentication.getPrincipal().userId())) {
                        // before the upgrade, as any other token the connection cannot be opened with
                        throw new ProblemException(HttpStatus.UNAUTHORIZED, Reader.UNUSABLE_SUB);
                    }
                    return new Caller(
                            Reader.of(authentication.getPrincipal()),
                            authentication.getToken().getExpiresAt());
                })
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    // without a token (a token that is there but bad never gets here: Spring Security refused it)
                    if (properties.allowAnonymous()) {
                        return new Caller(Reader.of(anonymous()), null);
                    }
                    if (publicAccess.enabled()) {
                        return new Caller(publicAccess.reader(exchange.getRequest()), null);
                    }
                    // only reachable if the security rules were changed to let /ws through without a token
                    throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "a user token is required");
                }))
                .flatMap(caller -> webSocketService.handleRequest(
                        exchange, session -> opened(session, caller).run()));
    }

    private WebSocketConnection opened(WebSocketSession session, Caller caller) {
        WebSocketConnection connection =
                WebSocketConnection.of(session, caller.reader(), support, opened -> new NativeProtocol(opened, this));
        connection.expiresAt(caller.expiresAt());
        return connection;
    }

    private static DashboardPrincipal anonymous() {
        return new DashboardPrincipal("anonymous-" + WebSocketConnection.randomId(), Set.of(), Set.of(), Set.of());
    }

    private record Caller(Reader reader, Instant expiresAt) {}

    ConnectionSupport support() {
        return support;
    }

    Hub hub() {
        return hub;
    }

    Cluster cluster() {
        return cluster;
    }

    ChannelPolicy policy() {
        return policy;
    }

    ReactiveJwtDecoder jwtDecoder() {
        return jwtDecoder;
    }

    ClientPublishProperties clientPublish() {
        return clientPublish;
    }

    NativeFrames frames() {
        return frames;
    }
}
