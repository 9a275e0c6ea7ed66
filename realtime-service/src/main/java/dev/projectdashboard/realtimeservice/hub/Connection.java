package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Instant;

/**
 * One client connection as the hub sees it, whatever its wire protocol (native {@code /ws} or Socket.IO). The
 * protocol session implements it; the hub calls it from any thread, so implementations must be thread-safe and
 * must never block: {@link #deliver} only enqueues into the connection's bounded outbox.
 */
public interface Connection {

    /** Unique in the cluster (e.g. a random UUID). */
    String id();

    DashboardPrincipal principal();

    /** Who reads through this connection: its token's user, or a public reader admitted without a token. */
    default Reader reader() {
        return Reader.of(principal());
    }

    /** {@code websocket} (native) or {@code socket.io}: shown in presence and stats. */
    String transport();

    Instant connectedAt();

    /**
     * Queues a publication for this client. When the outbox is over its byte limit, the connection closes itself
     * with {@link CloseReason#SLOW_CLIENT} and returns {@code false}; nobody else waits.
     */
    boolean deliver(Publication publication);

    /** Queues a presence change ({@code join} or {@code leave}) on a channel this connection is subscribed to. */
    void presence(String channel, PresenceChange change);

    /**
     * The hub ended a subscription on its own: the channel turned out to belong to someone else (a task whose owner
     * the first event named). Tell the client as for a refused subscribe.
     */
    void revoked(ChannelName channel, RealtimeException reason);

    /** Closes the connection (idempotent); the session then calls {@link Hub#unregister}. */
    void close(CloseReason reason);
}
