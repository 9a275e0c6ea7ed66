package dev.projectdashboard.realtimeservice.hub;

import reactor.core.publisher.Mono;

/** The cluster-wide count of each user's open connections, which the per-user limit is checked against. */
public interface ConnectionLimits {

    /**
     * Counts a connection of {@code userId} (a public reader's is its client address); refused with {@link
     * RealtimeException} code 106 when it has {@code limit} open already.
     */
    Mono<Void> acquire(String userId, int limit);

    /** Gives back a connection counted by {@link #acquire}. */
    Mono<Void> release(String userId);

    /** Marks a user as active (sent or subscribed something), for the stats' active users. */
    void touch(String userId);
}
