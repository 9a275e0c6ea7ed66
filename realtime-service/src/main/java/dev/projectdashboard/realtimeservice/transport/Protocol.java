package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * The protocol a {@link WebSocketConnection} speaks (native {@code /ws}, Socket.IO): what its frames say, while the
 * connection owns the bytes (outbox, heartbeat, close sequence). A protocol is made for one connection ({@link
 * WebSocketConnection#of}) and keeps it to send and close.
 *
 * <p>Threads: {@link #onText} is called on the connection's event loop, one frame at a time, and must not block; the
 * hub calls {@link #frame}, {@link #accepts}, {@link #presence} and {@link #revoked} from any thread.
 */
public interface Protocol {

    /** {@code websocket} (native) or {@code socket.io}: a constant, read when the connection is made. */
    String transport();

    /** This protocol's frame for a publication; use {@link Publication#frame} so it is rendered once per replica. */
    String frame(Publication publication);

    /** Whether a publication the hub delivers goes to this client at all; dropped silently when not. */
    default boolean accepts(Publication publication) {
        return true;
    }

    /** The greeting and hub registration; an error closes the connection ({@link #closeReasonFor}). */
    Mono<Void> opened();

    /** One inbound text frame. */
    void onText(String text);

    /** The connection is over (called once, whatever ended it): unregister from the hub here. */
    void closed();

    /** How an error of {@link #opened()} closes the connection. */
    default CloseReason closeReasonFor(Throwable error) {
        return CloseReason.BAD_REQUEST;
    }

    /** The heartbeat's ping as a text frame; {@code null} for a WebSocket ping frame. */
    default @Nullable String pingFrame() {
        return null;
    }

    /**
     * A frame to send before closing for {@code reason}, after which the connection waits for the client to close
     * (at most the close grace); {@code null} to close at once.
     */
    default @Nullable String lastFrame(CloseReason reason) {
        return null;
    }

    /** A presence change ({@code join} or {@code leave}) on a channel this connection is subscribed to. */
    void presence(String channel, PresenceChange change);

    /** The hub ended a subscription on its own: tell the client as for a refused subscribe. */
    void revoked(ChannelName channel, RealtimeException reason);
}
