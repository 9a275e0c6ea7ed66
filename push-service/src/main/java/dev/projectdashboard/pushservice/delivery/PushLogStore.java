package dev.projectdashboard.pushservice.delivery;

import java.time.Instant;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The push log (source 003's {@code get_push_logs}): appended with each attempt by {@link DeliveryStore}. */
public interface PushLogStore {

    /** What to list; a {@code null} field does not filter. */
    record Query(String taskId, UUID webhookId, Boolean success, Instant from, Instant to, int limit, long offset) {}

    /** Appends a row that belongs to no delivery (a test send). */
    Mono<Void> append(PushLog log);

    /** Newest first. */
    Flux<PushLog> find(Query query);

    Mono<Long> count(Query query);

    /** Deletes rows older than {@code before}, at most {@code limit} at a time; how many. */
    Mono<Long> deleteOlderThan(Instant before, int limit);
}
