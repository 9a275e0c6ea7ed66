package dev.projectdashboard.eventbus;

import reactor.core.publisher.Mono;

/**
 * Handles one entry for a consumer group. The entry is acknowledged only after the returned {@code Mono}
 * completes; an error (or a thrown exception) leaves it pending, to be delivered again.
 */
@FunctionalInterface
public interface EventHandler {

    Mono<Void> handle(StreamEntry entry);
}
