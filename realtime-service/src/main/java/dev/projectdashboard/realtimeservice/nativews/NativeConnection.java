package dev.projectdashboard.realtimeservice.nativews;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.hub.Since;
import dev.projectdashboard.realtimeservice.policy.PublishRateLimiter;
import dev.projectdashboard.realtimeservice.transport.WebSocketConnection;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * One {@code /ws} client speaking the native protocol: {@code ping}, {@code subscribe}, {@code unsubscribe},
 * {@code refresh}, {@code publish} in; publications, replies and {@code error} events out. A refused or malformed
 * request is answered with an {@code error} event and the connection stays open.
 */
final class NativeConnection extends WebSocketConnection {

    static final String TRANSPORT = "websocket";
    static final String CLIENT_PUBLICATION_TYPE = "publication";

    private static final Logger log = LoggerFactory.getLogger(NativeConnection.class);

    private final NativeEndpoint endpoint;
    // created on the first publish: most connections never publish
    private volatile PublishRateLimiter publishLimiter;

    NativeConnection(WebSocketSession session, Reader reader, Instant expiresAt, NativeEndpoint endpoint) {
        super(
                session,
                reader,
                endpoint.support(),
                publication -> publication.frame(NativeFrames.FORMAT, NativeFrames::publication));
        this.endpoint = endpoint;
        expiresAt(expiresAt);
    }

    @Override
    public String transport() {
        return TRANSPORT;
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
    protected Mono<Void> opened() {
        // queued before registering so it is the first frame, ahead of anything the personal channels deliver
        send(endpoint.frames()
                .established(
                        principal().userId(),
                        id(),
                        support.properties().pingInterval().toSeconds()));
        return endpoint.hub().register(this);
    }

    @Override
    protected CloseReason closeReasonFor(Throwable error) {
        if (error instanceof RealtimeException refusal && refusal.code() == RealtimeException.LIMIT_EXCEEDED) {
            return CloseReason.CONNECTION_LIMIT;
        }
        log.warn(
                "connection {} of {} could not be registered", id(), principal().userId(), error);
        return CloseReason.SHUTDOWN;
    }

    @Override
    protected void closed() {
        endpoint.hub().unregister(this).subscribe(null, error -> log.warn("unregister of {} failed", id(), error));
    }

    @Override
    protected void onText(String text) {
        JsonNode frame;
        try {
            frame = endpoint.json().readTree(text);
        } catch (JacksonException e) {
            error(RealtimeException.BAD_REQUEST, "frame is not JSON", null, null);
            return;
        }
        String event = frame.path("event").asString(null);
        JsonNode data = frame.path("data");
        if (event == null) {
            error(RealtimeException.BAD_REQUEST, "frame has no event", null, null);
            return;
        }
        switch (event) {
            case "ping" -> send(endpoint.frames().pong());
            case "subscribe" -> subscribe(data);
            case "unsubscribe" -> unsubscribe(data);
            case "refresh" -> refresh(data);
            case "publish" -> publish(data);
            default -> error(RealtimeException.BAD_REQUEST, "unknown event", event, null);
        }
    }

    private void subscribe(JsonNode data) {
        ChannelName channel = channelOf(data, "subscribe");
        if (channel == null) {
            return;
        }
        Since since = null;
        JsonNode sinceNode = data.path("since");
        if (sinceNode.isObject()) {
            if (!sinceNode.path("offset").canConvertToLong()
                    || !sinceNode.path("epoch").isString()) {
                error(
                        RealtimeException.BAD_REQUEST,
                        "since needs a numeric offset and a string epoch",
                        "subscribe",
                        channel.toString());
                return;
            }
            since = new Since(
                    sinceNode.path("offset").asLong(), sinceNode.path("epoch").asString());
        }
        endpoint.hub()
                .subscribe(
                        this,
                        channel,
                        since,
                        subscribed -> send(endpoint.frames().subscribed(subscribed)))
                .subscribe(null, failure -> refused(failure, "subscribe", channel));
    }

    private void unsubscribe(JsonNode data) {
        ChannelName channel = channelOf(data, "unsubscribe");
        if (channel != null) {
            endpoint.hub().unsubscribe(this, channel);
            send(endpoint.frames().unsubscribed(channel.toString()));
        }
    }

    private void refresh(JsonNode data) {
        String token = data.path("token").asString(null);
        if (token == null || token.isBlank()) {
            error(RealtimeException.BAD_REQUEST, "refresh needs a token", "refresh", null);
            return;
        }
        endpoint.jwtDecoder().decode(token).subscribe(this::refreshed, this::refreshFailed);
    }

    private void refreshed(Jwt jwt) {
        DashboardPrincipal refreshed = DashboardPrincipal.from(jwt);
        if (!Objects.equals(refreshed.userId(), principal().userId())) {
            // a connection never changes hands (a public reader does not become a user either): another user's token
            // is an attack or a client bug
            close(CloseReason.INVALID_TOKEN);
            return;
        }
        reader(Reader.of(refreshed));
        expiresAt(jwt.getExpiresAt());
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

    private void publish(JsonNode data) {
        ChannelName channel = channelOf(data, "publish");
        if (channel == null) {
            return;
        }
        JsonNode payload = data.path("data");
        if (payload.isMissingNode()) {
            error(RealtimeException.BAD_REQUEST, "publish needs data", "publish", channel.toString());
            return;
        }
        String payloadJson = endpoint.json().writeValueAsString(payload);
        if (payloadJson.length() > endpoint.clientPublish().maxDataSize().toBytes()) {
            error(RealtimeException.BAD_REQUEST, "data is too large", "publish", channel.toString());
            return;
        }
        if (!limiter().tryAcquire()) {
            error(RealtimeException.LIMIT_EXCEEDED, "publish rate exceeded", "publish", channel.toString());
            return;
        }
        endpoint.policy()
                .authorizePublish(reader(), channel)
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

    /** {@code {"channel":"…"}} or source 000's {@code {"task_id":"…"}}; answers an error event and null if neither. */
    private ChannelName channelOf(JsonNode data, String request) {
        try {
            JsonNode taskId = data.path("task_id");
            if (taskId.isString() || taskId.isNumber()) {
                return ChannelName.of(ChannelName.TASK, taskId.asString());
            }
            return ChannelName.parse(data.path("channel").asString(null));
        } catch (IllegalArgumentException e) {
            error(RealtimeException.BAD_REQUEST, e.getMessage(), request, null);
            return null;
        }
    }

    private void refused(Throwable failure, String request, ChannelName channel) {
        if (failure instanceof RealtimeException refusal) {
            error(refusal.code(), refusal.getMessage(), request, channel.toString());
        } else {
            log.warn("{} of {} on {} failed", request, id(), channel, failure);
            error(RealtimeException.INTERNAL, "internal error", request, channel.toString());
        }
    }

    private void error(int code, String message, String request, String channel) {
        send(endpoint.frames().error(code, message, request, channel));
    }
}
