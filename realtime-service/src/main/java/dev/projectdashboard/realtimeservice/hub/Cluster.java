package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import java.util.List;
import reactor.core.publisher.Mono;

/** What spans every replica: stats, presence, forced disconnects and ephemeral publications. */
public interface Cluster {

    /**
     * @param totalConnections open connections on live replicas
     * @param totalUsers distinct users with at least one open connection
     * @param activeUsers ids of the users that sent or subscribed anything in the last 5 minutes, sorted, at most the
     *     limit asked for
     * @param activeUserCount how many such users there are (all of them, however many are listed)
     * @param replicas live replicas
     */
    record Stats(long totalConnections, long totalUsers, List<String> activeUsers, long activeUserCount, int replicas) {

        public Stats {
            activeUsers = List.copyOf(activeUsers);
        }

        /** Whether the limit left active users out of {@link #activeUsers}. */
        public boolean activeUsersTruncated() {
            return activeUsers.size() < activeUserCount;
        }
    }

    /** @param maxActiveUsers list at most this many active user ids (the count covers all of them) */
    Mono<Stats> stats(int maxActiveUsers);

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
