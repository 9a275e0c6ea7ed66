package dev.projectdashboard.realtimeservice.nativews;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.hub.Since;
import dev.projectdashboard.realtimeservice.policy.PublishRateLimiter;
import dev.projectdashboard.realtimeservice.transport.Protocol;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import reactor.core.publisher.Mono;

/**
 * The native protocol of a {@code /ws} {@link WebSocketConnection}: {@code ping}, {@code subscribe}, {@code unsubscribe},
 * {@code refresh}, {@code publish} in; publications, replies and {@code error} events out. A refused or malformed
 * request is answered with an {@code error} event and the connection stays open.
 */
final class NativeProtocol implements Protocol {

    static final String TRANSPORT = "websocket";
    static final String CLIENT_PUBLICATION_TYPE = "publication";

    private static final Logger log = LoggerFactory.getLogger(NativeProtocol.class);

    private final WebSocketConnection connection;
    private final NativeEndpoint endpoint;
    // created on the first publish: most connections never publish
    private volatile PublishRateLimiter publishLimiter;

    NativeProtocol(WebSocketConnection connection, NativeEndpoint endpoint) {
        this.connection = connection;
        this.endpoint = endpoint;
    }

    @Override
    public String transport() {
        return TRANSPORT;
    }

    @Override
    public String frame(Publication publication) {
        return publication.frame(NativeFrames.FORMAT, NativeFrames::publication);
    }

    @Override
    public void presence(String channel, PresenceChange change) {
        send(endpoint.frames().presence(channel, change));
    }

    @Override
    public void revoked(ChannelName channel, RealtimeException reason) {
        error(reason.code(), reason.getMessage(), null, channel.toString());
    }

    @Override
    public Mono<Void> opened() {
        // queued before registering so it is the first frame, ahead of anything the personal channels deliver
        send(endpoint.frames()
                .established(
                        connection.principal().userId(),
                        connection.id(),
                        endpoint.support().properties().pingInterval().toSeconds()));
        return endpoint.hub().register(connection);
    }

    @Override
    public CloseReason closeReasonFor(Throwable error) {
        if (error instanceof RealtimeException refusal && refusal.code() == RealtimeException.LIMIT_EXCEEDED) {
            return CloseReason.CONNECTION_LIMIT;
        }
        log.warn(
                "connection {} of {} could not be registered",
                connection.id(),
                connection.principal().userId(),
                error);
        return CloseReason.SHUTDOWN;
    }

    @Override
    public void closed() {
        endpoint.hub()
                .unregister(connection)
                .subscribe(null, error -> log.warn("unregister of {} failed", connection.id(), error));
    }

    @Override
    public void onText(String text) {
        NativeFrames.Request request;
        try {
            request = NativeFrames.parse(text);
        } catch (NativeFrames.BadFrameException bad) {
            error(RealtimeException.BAD_REQUEST, bad.getMessage(), bad.request(), bad.channel());
            return;
        }
        if (request instanceof NativeFrames.Request.Subscribe subscribe) {
            subscribe(subscribe.channel(), subscribe.since());
        } else if (request instanceof NativeFrames.Request.Unsubscribe unsubscribe) {
            unsubscribe(unsubscribe.channel());
        } else if (request instanceof NativeFrames.Request.Refresh refresh) {
            refresh(refresh.token());
        } else if (request instanceof NativeFrames.Request.Publish publish) {
            publish(publish.channel(), publish.dataJson());
        } else {
            send(endpoint.frames().pong());
        }
    }

    private void subscribe(ChannelName channel, Since since) {
        endpoint.hub()
                .subscribe(
                        connection,
                        channel,
                        since,
                        subscribed -> send(endpoint.frames().subscribed(subscribed)))
                .subscribe(null, failure -> refused(failure, "subscribe", channel));
    }

    private void unsubscribe(ChannelName channel) {
        endpoint.hub().unsubscribe(connection, channel);
        send(endpoint.frames().unsubscribed(channel.toString()));
    }

    private void refresh(String token) {
        endpoint.jwtDecoder().decode(token).subscribe(this::refreshed, this::refreshFailed);
    }

    private void refreshed(Jwt jwt) {
        DashboardPrincipal refreshed = DashboardPrincipal.from(jwt);
        if (!Objects.equals(refreshed.userId(), connection.principal().userId())) {
            // a connection never changes hands (a public reader does not become a user either): another user's token
            // is an attack or a client bug
            close(CloseReason.INVALID_TOKEN);
            return;
        }
        connection.reader(Reader.of(refreshed));
        connection.expiresAt(jwt.getExpiresAt());
        send(endpoint.frames().refreshed(jwt.getExpiresAt()));
    }

    private void refreshFailed(Throwable failure) {
        if (failure instanceof JwtValidationException invalid
                && invalid.getErrors().stream()
                        .anyMatch(e ->
                                e.getDescription() != null && e.getDescription().contains("expired"))) {
            // the current token may still be valid: the client can fetch a fresh one and try again
            error(RealtimeException.TOKEN_EXPIRED, "refresh token already expired", "refresh", null);
            return;
        }
        close(CloseReason.INVALID_TOKEN);
    }

    private void publish(ChannelName channel, String payloadJson) {
        if (payloadJson.length() > endpoint.clientPublish().maxDataSize().toBytes()) {
            error(RealtimeException.BAD_REQUEST, "data is too large", "publish", channel.toString());
            return;
        }
        if (!limiter().tryAcquire()) {
            error(RealtimeException.LIMIT_EXCEEDED, "publish rate exceeded", "publish", channel.toString());
            return;
        }
        endpoint.policy()
                .authorizePublish(connection.reader(), channel)
                .then(Mono.defer(
                        () -> endpoint.cluster().publishEphemeral(channel, CLIENT_PUBLICATION_TYPE, payloadJson)))
                .subscribe(null, failure -> refused(failure, "publish", channel));
    }

    private PublishRateLimiter limiter() {
        PublishRateLimiter limiter = publishLimiter;
        if (limiter == null) {
            synchronized (this) {
                limiter = publishLimiter;
                if (limiter == null) {
                    limiter = PublishRateLimiter.of(endpoint.clientPublish());
                    publishLimiter = limiter;
                }
            }
        }
        return limiter;
    }

    private void refused(Throwable failure, String request, ChannelName channel) {
        if (failure instanceof RealtimeException refusal) {
            error(refusal.code(), refusal.getMessage(), request, channel.toString());
        } else {
            log.warn("{} of {} on {} failed", request, connection.id(), channel, failure);
            error(RealtimeException.INTERNAL, "internal error", request, channel.toString());
        }
    }

    private void send(String frame) {
        connection.send(frame);
    }

    private void close(CloseReason reason) {
        connection.close(reason);
    }

    private void error(int code, String message, String request, String channel) {
        send(endpoint.frames().error(code, message, request, channel));
    }
}
