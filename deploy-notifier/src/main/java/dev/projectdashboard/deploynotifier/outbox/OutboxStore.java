package dev.projectdashboard.deploynotifier.outbox;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The outbox's rows on their way to the stream. They are written by {@code DeploymentStore}, in the transaction that
 * stores their delivery; this store finds the ones not yet published and marks them once Redis took them.
 */
@Repository
public class OutboxStore {

    /** An event written with its data and not yet (or not known to be) on the stream. */
    public record PendingEvent(long id, String eventId, String json) {}

    private final DatabaseClient database;
    private final TransactionalOperator transactions;

    OutboxStore(DatabaseClient database, TransactionalOperator transactions) {
        this.database = database;
        this.transactions = transactions;
    }

    /**
     * The delivery's unpublished rows, locked until the surrounding transaction ends; rows another transaction (the
     * relay, a concurrent retry) holds are skipped, so one event is not sent by two at once.
     */
    public Flux<PendingEvent> lockPending(String deliveryKey) {
        return database.sql("select id, event_id, event from event_outbox where delivery_key = :key"
                        + " and published_at is null order by id for update skip locked")
                .bind("key", deliveryKey)
                .map(row ->
                        new PendingEvent(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class)))
                .all();
    }

    /** Unpublished rows older than {@code olderThan}, oldest first, locked like {@link #lockPending}. */
    public Flux<PendingEvent> lockStale(Instant olderThan, int limit) {
        return database.sql("select id, event_id, event from event_outbox where published_at is null"
                        + " and created_at < :before order by id limit :limit for update skip locked")
                .bind("before", olderThan.atOffset(ZoneOffset.UTC))
                .bind("limit", limit)
                .map(row ->
                        new PendingEvent(row.get(0, Long.class), row.get(1, String.class), row.get(2, String.class)))
                .all();
    }

    /** Runs {@code work} in one transaction: the locks of {@link #lockPending} and {@link #lockStale} last that long. */
    public <T> Flux<T> inTransaction(Flux<T> work) {
        return transactions.transactional(work);
    }

    public Mono<Void> markPublished(long outboxId) {
        return markPublished(List.of(outboxId));
    }

    public Mono<Void> markPublished(List<Long> outboxIds) {
        if (outboxIds.isEmpty()) {
            return Mono.empty();
        }
        return database.sql(
                        "update event_outbox set published_at = now() where id = any(:ids) and published_at is null")
                .bind("ids", outboxIds.toArray(Long[]::new))
                .fetch()
                .rowsUpdated()
                .then();
    }
}
