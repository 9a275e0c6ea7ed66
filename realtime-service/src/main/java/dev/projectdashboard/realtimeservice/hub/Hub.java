package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import java.util.Collection;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * This replica's connections and their subscriptions; every publication of the cluster reaches it through the
 * fan-out and goes to the local subscribers of its channel. Protocol sessions (native, Socket.IO) talk only to
 * this interface.
 */
public interface Hub {

    /**
     * Admits a new connection: counts it against the cluster-wide per-user limit (refusal: {@link
     * RealtimeException} code 106, the session closes with {@link CloseReason#CONNECTION_LIMIT}) and subscribes it
     * to its personal channels ({@code user:{sub}}, {@code system:notifications}) without recovery.
     */
    Mono<Void> register(Connection connection);

    /** Forgets a closed connection: its subscriptions, presence entries and its place in the per-user count. */
    Mono<Void> unregister(Connection connection);

    /**
     * Subscribes after checking the connection may read the channel (token claims, then the subscribe proxy if
     * configured; refusal: {@link RealtimeException} 103) and the per-connection subscription limit (106).
     *
     * <p>Order on the wire, always: {@code beforeReplay} is called with the result (the session writes its
     * {@code subscribed} frame there), then the replayed publications (when {@code since} was given and
     * recoverable) go through {@link Connection#deliver}, then live publications, none twice and none missing in
     * between, and each event once for the connection however many of its channels it was published on. Subscribing
     * to a channel already subscribed is not an error: with {@code since} it recovers again, except what the
     * connection already delivered on it.
     *
     * @param since last position the client saw, or {@code null}
     */
    Mono<Subscribed> subscribe(
            Connection connection, ChannelName channel, Since since, Consumer<Subscribed> beforeReplay);

    /** Stops delivering {@code channel} to the connection; unknown subscriptions are ignored. */
    void unsubscribe(Connection connection, ChannelName channel);

    /** Local connections of a user (for the admin disconnect and tests). */
    Collection<Connection> connectionsOf(String userId);

    /** Number of local connections. */
    int size();
}
