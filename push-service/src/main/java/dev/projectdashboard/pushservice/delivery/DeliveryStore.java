package dev.projectdashboard.pushservice.delivery;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Durable deliveries (docs/push-service.md, Durability). Every state change after an attempt is conditional on the
 * lease: a replica whose lease expired (it stalled, another took the delivery over) changes nothing.
 */
public interface DeliveryStore {

    /**
     * Stores the event and one delivery per webhook, due {@code now}, in one transaction: leased to {@code owner}
     * until {@code leaseUntil}, except those of the {@code unleased} webhooks (paused endpoints, left to the
     * scheduler). A delivery of the same event to the same webhook stored before (the event bus handing the event over
     * again) is left as it is.
     *
     * @return the deliveries created now and leased to {@code owner}
     */
    Mono<List<DueDelivery>> record(
            PushEvent event, List<UUID> webhookIds, Set<UUID> unleased, String owner, Instant now, Instant leaseUntil);

    /**
     * Leases up to {@code limit} pending deliveries due by {@code now} whose lease is free or expired, none of the
     * {@code skipped} webhooks.
     */
    Flux<DueDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit, Set<UUID> skipped);

    /** What an attempt ended in: the log row, and the delivery's next state. */
    record Attempted(PushLog log, DeliveryStatus status, int attempts, Instant nextAttemptAt, Instant at) {}

    /**
     * Appends the attempt's log row and moves the delivery on, in one transaction, if {@code owner} still holds its
     * lease; releases the lease.
     *
     * @return whether the delivery was still this replica's (when not, nothing is written)
     */
    Mono<Boolean> attempted(UUID deliveryId, String owner, Attempted attempted);

    /** Gives the delivery back without an attempt, due again at {@code next} (its endpoint is paused or busy). */
    Mono<Boolean> postpone(UUID deliveryId, String owner, Instant next);

    /** Marks it {@link DeliveryStatus#CANCELLED} (its webhook is disabled), releasing the lease. */
    Mono<Boolean> cancel(UUID deliveryId, String owner, String reason, Instant at);

    Mono<Delivery> find(UUID deliveryId);

    /** The dead-letter queue, newest first, optionally of one webhook. */
    Flux<Delivery> dead(UUID webhookId, int limit, long offset);

    Mono<Long> countDead(UUID webhookId);

    /** What a re-push selects from the dead-letter queue; a {@code null} field does not filter. */
    record DeadFilter(String taskId, UUID webhookId, String eventType, Instant from, Instant to) {}

    /**
     * Puts dead-lettered deliveries matching {@code filter} back to pending, due {@code now}, with a fresh retry
     * schedule (source 003's {@code retry_dlq_task}); the same {@code webhook-id}.
     *
     * @return how many
     */
    Mono<Long> repush(DeadFilter filter, Instant now);

    /** Deliveries of a task (its push status), newest first. */
    Flux<Delivery> ofTask(String taskId);
}
