package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import java.util.List;
import reactor.core.publisher.Mono;

/** What spans every replica: stats, presence, forced disconnects and ephemeral publications. */
public interface Cluster {

    /**
     * @param totalConnections open connections on live replicas
     * @param totalUsers distinct users with at least one open connection
     * @param activeUsers distinct users that sent or subscribed anything in the last 5 minutes
     * @param replicas live replicas
     */
    record Stats(long totalConnections, long totalUsers, long activeUsers, int replicas) {}

    Mono<Stats> stats();

    /** Who is subscribed to a channel with presence enabled, on every replica; entries of dead replicas expire. */
    Mono<List<PresenceChange.ClientInfo>> presence(ChannelName channel);

    /** Closes every connection of a user on every replica with {@link CloseReason#FORCED}; answers how many. */
    Mono<Long> disconnectUser(String userId);

    /**
     * Sends a publication to the channel's subscribers on every replica without keeping it in history (client
     * publish, e.g. typing indicators): delivered with offset 0.
     */
    Mono<Void> publishEphemeral(ChannelName channel, String type, String dataJson);
}
