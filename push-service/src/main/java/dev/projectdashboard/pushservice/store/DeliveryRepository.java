package dev.projectdashboard.pushservice.store;

import static dev.projectdashboard.pushservice.store.WebhookRepository.at;
import static dev.projectdashboard.pushservice.store.WebhookRepository.instant;

import dev.projectdashboard.pushservice.delivery.Delivery;
import dev.projectdashboard.pushservice.delivery.DeliveryStatus;
import dev.projectdashboard.pushservice.delivery.DeliveryStore;
import dev.projectdashboard.pushservice.delivery.DueDelivery;
import dev.projectdashboard.pushservice.delivery.PushEvent;
import dev.projectdashboard.pushservice.delivery.PushLog;
import dev.projectdashboard.pushservice.delivery.PushLogStore;
import dev.projectdashboard.starter.batch.Batcher;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Events, deliveries and the push log ({@code push.push_event}, {@code push.delivery}, {@code push.push_log}). */
@Repository
public class DeliveryRepository implements DeliveryStore, PushLogStore {

    private static final String DELIVERY_COLUMNS = "d.id, d.webhook_id, d.event_id, d.task_id, d.event_type, d.status,"
            + " d.attempts, d.next_attempt_at, d.last_status, d.last_error, d.created_at, d.updated_at, d.delivered_at,"
            + " d.dead_at";

    private static final String LOG_COLUMNS = "id, delivery_id, webhook_id, task_id, event_id, success, http_status,"
            + " request_headers::text as request_headers, request_body, response_headers::text as response_headers,"
            + " response_body, duration_ms, retry_count, error_message, created_at";

    private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final JsonMapper json;
    private final Batcher<Postponement, Boolean> postponements =
            new Batcher<>("postponing deliveries", this::postponeAll, 500, 2);

    private record Postponement(UUID id, String owner, Instant next) {}

    DeliveryRepository(DatabaseClient database, TransactionalOperator transactions, JsonMapper json) {
        this.database = database;
        this.transactions = transactions;
        this.json = json;
    }

    @Override
    public Mono<List<DueDelivery>> record(
            PushEvent event, List<UUID> webhookIds, Set<UUID> unleased, String owner, Instant now, Instant leaseUntil) {
        Mono<Long> storeEvent = database.sql("insert into push_event (event_id, event_type, subject, task_id,"
                        + " event_time, data) values (:id, :type, :subject, :task, :time, cast(:data as jsonb))"
                        + " on conflict (event_id) do nothing")
                .bind("id", event.eventId())
                .bind("type", event.type())
                .bind("subject", Parameter.fromOrEmpty(event.subject(), String.class))
                .bind("task", Parameter.fromOrEmpty(event.taskId(), String.class))
                .bind("time", at(event.time()))
                .bind("data", json.writeValueAsString(event.data()))
                .fetch()
                .rowsUpdated();
        Mono<List<DueDelivery>> storeDeliveries = database.sql("insert into delivery as d (id, webhook_id,"
                        + " event_id, task_id, event_type, status, attempts, next_attempt_at, lease_owner,"
                        + " lease_until, created_at, updated_at) select gen_random_uuid(), webhook, :event, :task,"
                        + " :type, 'PENDING', 0, :now, case when webhook = any(:unleased) then null else :owner end,"
                        + " case when webhook = any(:unleased) then null else :lease_until end, :now, :now"
                        + " from unnest(:webhooks) as webhook on conflict (event_id, webhook_id) do nothing"
                        + " returning " + DELIVERY_COLUMNS)
                .bind("event", event.eventId())
                .bind("task", Parameter.fromOrEmpty(event.taskId(), String.class))
                .bind("type", event.type())
                .bind("now", at(now))
                .bind("owner", owner)
                .bind("lease_until", at(leaseUntil))
                .bind("webhooks", webhookIds.toArray(UUID[]::new))
                .bind("unleased", unleased.toArray(UUID[]::new))
                .map(DeliveryRepository::delivery)
                .all()
                .filter(delivery -> !unleased.contains(delivery.webhookId()))
                .map(delivery -> new DueDelivery(delivery, event))
                .collectList();
        return committed(storeEvent.then(storeDeliveries), List.of());
    }

    /**
     * The value of {@code work} run in one transaction, emitted only once the transaction has committed: a
     * transactional {@code Mono} hands its value on before the commit, and a delivery attempted from that value could
     * find its row not yet visible (its outcome then not written, its lease left to expire and the delivery sent a
     * second time).
     */
    private <T> Mono<T> committed(Mono<T> work, T ifEmpty) {
        return Flux.from(work.as(transactions::transactional))
                .collectList()
                .map(values -> values.isEmpty() ? ifEmpty : values.get(0));
    }

    @Override
    public Flux<DueDelivery> claimDue(String owner, Instant now, Instant leaseUntil, int limit, Set<UUID> skipped) {
        return database.sql("with due as (select id from delivery where status = 'PENDING' and next_attempt_at <= :now"
                        + " and (lease_until is null or lease_until < :now) and not (webhook_id = any(:skipped))"
                        + " order by next_attempt_at limit :limit for update skip locked)"
                        + " update delivery d set lease_owner = :owner, lease_until = :lease_until, updated_at = :now"
                        + " from due, push_event e where d.id = due.id and e.event_id = d.event_id"
                        + " returning " + DELIVERY_COLUMNS + ", e.subject, e.event_time, e.data::text as data")
                .bind("now", at(now))
                .bind("limit", limit)
                .bind("owner", owner)
                .bind("lease_until", at(leaseUntil))
                .bind("skipped", skipped.toArray(UUID[]::new))
                .map(row -> {
                    Delivery delivery = delivery(row);
                    PushEvent event = new PushEvent(
                            delivery.eventId(),
                            delivery.eventType(),
                            row.get("subject", String.class),
                            delivery.taskId(),
                            instant(row.get("event_time", OffsetDateTime.class)),
                            json.readTree(row.get("data", String.class)));
                    return new DueDelivery(delivery, event);
                })
                .all();
    }

    @Override
    public Mono<Boolean> attempted(UUID deliveryId, String owner, Attempted attempted) {
        PushLog entry = attempted.log();
        Mono<Long> move = database.sql("update delivery set status = :status, attempts = :attempts, next_attempt_at ="
                        + " coalesce(:next, next_attempt_at), last_status = :last_status, last_error = :last_error,"
                        + " lease_owner = null, lease_until = null, updated_at = :at,"
                        + " delivered_at = case when :status = 'DELIVERED' then :at else delivered_at end,"
                        + " dead_at = case when :status = 'PUSH_FAILED' then :at else dead_at end"
                        + " where id = :id and lease_owner = :owner")
                .bind("id", deliveryId)
                .bind("owner", owner)
                .bind("status", attempted.status().name())
                .bind("attempts", attempted.attempts())
                .bind("next", Parameter.fromOrEmpty(at(attempted.nextAttemptAt()), OffsetDateTime.class))
                .bind("last_status", Parameter.fromOrEmpty(entry.httpStatus(), Integer.class))
                .bind("last_error", Parameter.fromOrEmpty(entry.errorMessage(), String.class))
                .bind("at", at(attempted.at()))
                .fetch()
                .rowsUpdated();
        return committed(move.flatMap(rows -> rows > 0 ? insertLog(entry).thenReturn(true) : Mono.just(false)), false);
    }

    @Override
    public Mono<Void> append(PushLog log) {
        return insertLog(log).then();
    }

    private Mono<Long> insertLog(PushLog entry) {
        return database.sql("insert into push_log (delivery_id, webhook_id, task_id, event_id, success,"
                        + " http_status, request_headers, request_body, response_headers, response_body, duration_ms,"
                        + " retry_count, error_message, created_at) values (:delivery, :webhook, :task, :event,"
                        + " :success, :status, cast(:request_headers as jsonb), :request_body, cast(:response_headers as jsonb),"
                        + " :response_body,"
                        + " :duration, :retry_count, :error, :at)")
                .bind("delivery", entry.deliveryId())
                .bind("webhook", entry.webhookId())
                .bind("task", Parameter.fromOrEmpty(entry.taskId(), String.class))
                .bind("event", entry.eventId())
                .bind("success", entry.success())
                .bind("status", Parameter.fromOrEmpty(entry.httpStatus(), Integer.class))
                .bind("request_headers", json.writeValueAsString(entry.requestHeaders()))
                .bind("request_body", Parameter.fromOrEmpty(entry.requestBody(), String.class))
                .bind(
                        "response_headers",
                        Parameter.fromOrEmpty(
                                entry.responseHeaders() == null
                                        ? null
                                        : json.writeValueAsString(entry.responseHeaders()),
                                String.class))
                .bind("response_body", Parameter.fromOrEmpty(entry.responseBody(), String.class))
                .bind("duration", (int) Math.min(Integer.MAX_VALUE, entry.durationMs()))
                .bind("retry_count", entry.retryCount())
                .bind("error", Parameter.fromOrEmpty(entry.errorMessage(), String.class))
                .bind("at", at(entry.createdAt()))
                .fetch()
                .rowsUpdated();
    }

    @Override
    public Mono<Boolean> postpone(UUID deliveryId, String owner, Instant next) {
        return postponements.submit(new Postponement(deliveryId, owner, next));
    }

    /** One statement for many give-backs: a paused endpoint's waiting deliveries all come back at once. */
    private Mono<List<Boolean>> postponeAll(List<Postponement> batch) {
        return database.sql("update delivery d set next_attempt_at = v.next, lease_owner = null, lease_until = null,"
                        + " updated_at = now() from unnest(:ids, :owners, cast(:nexts as timestamptz[]))"
                        + " as v(id, owner, next) where d.id = v.id and d.lease_owner = v.owner returning d.id")
                .bind("ids", batch.stream().map(Postponement::id).toArray(UUID[]::new))
                .bind("owners", batch.stream().map(Postponement::owner).toArray(String[]::new))
                .bind(
                        "nexts",
                        batch.stream().map(item -> item.next().toString()).toArray(String[]::new))
                .map(row -> row.get("id", UUID.class))
                .all()
                .collect(Collectors.toSet())
                .map(applied ->
                        batch.stream().map(item -> applied.contains(item.id())).toList());
    }

    @Override
    public Mono<Boolean> cancel(UUID deliveryId, String owner, String reason, Instant at) {
        return database.sql("update delivery set status = 'CANCELLED', last_error = :reason, lease_owner = null,"
                        + " lease_until = null, updated_at = :at where id = :id and lease_owner = :owner")
                .bind("id", deliveryId)
                .bind("owner", owner)
                .bind("reason", reason)
                .bind("at", at(at))
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Delivery> find(UUID deliveryId) {
        return database.sql("select " + DELIVERY_COLUMNS + " from delivery d where d.id = :id")
                .bind("id", deliveryId)
                .map(DeliveryRepository::delivery)
                .one();
    }

    @Override
    public Flux<Delivery> dead(UUID webhookId, int limit, long offset) {
        Where where = new Where().is("d.status", "'PUSH_FAILED'").equal("d.webhook_id", "webhook", webhookId);
        return where.bind(database.sql("select " + DELIVERY_COLUMNS + " from delivery d" + where
                        + " order by d.dead_at desc, d.id limit :limit offset :offset"))
                .bind("limit", limit)
                .bind("offset", offset)
                .map(DeliveryRepository::delivery)
                .all();
    }

    @Override
    public Mono<Long> countDead(UUID webhookId) {
        Where where = new Where().is("d.status", "'PUSH_FAILED'").equal("d.webhook_id", "webhook", webhookId);
        return where.bind(database.sql("select count(*) from delivery d" + where))
                .map(row -> row.get(0, Long.class))
                .one();
    }

    @Override
    public Mono<Long> repush(DeadFilter filter, Instant now) {
        Where where = new Where()
                .is("d.status", "'PUSH_FAILED'")
                .equal("d.task_id", "task", filter.taskId())
                .equal("d.webhook_id", "webhook", filter.webhookId())
                .equal("d.event_type", "type", filter.eventType())
                .atLeast("d.dead_at", "from", at(filter.from()))
                .below("d.dead_at", "to", at(filter.to()));
        return where.bind(database.sql("update delivery d set status = 'PENDING', attempts = 0, next_attempt_at ="
                        + " :now, dead_at = null, lease_owner = null, lease_until = null, updated_at = :now"
                        + where))
                .bind("now", at(now))
                .fetch()
                .rowsUpdated();
    }

    @Override
    public Flux<Delivery> ofTask(String taskId) {
        return database.sql("select " + DELIVERY_COLUMNS + " from delivery d where d.task_id = :task"
                        + " order by d.created_at desc, d.id")
                .bind("task", taskId)
                .map(DeliveryRepository::delivery)
                .all();
    }

    @Override
    public Flux<PushLog> find(Query query) {
        Where where = logWhere(query);
        return where.bind(database.sql("select " + LOG_COLUMNS + " from push_log" + where
                        + " order by created_at desc, id desc limit :limit offset :offset"))
                .bind("limit", query.limit())
                .bind("offset", query.offset())
                .map(this::log)
                .all();
    }

    @Override
    public Mono<Long> count(Query query) {
        Where where = logWhere(query);
        return where.bind(database.sql("select count(*) from push_log" + where))
                .map(row -> row.get(0, Long.class))
                .one();
    }

    @Override
    public Mono<Long> deleteOlderThan(Instant before, int limit) {
        return database.sql("delete from push_log where id in (select id from push_log where created_at < :before"
                        + " order by created_at limit :limit)")
                .bind("before", at(before))
                .bind("limit", limit)
                .fetch()
                .rowsUpdated();
    }

    private static Where logWhere(Query query) {
        return new Where()
                .equal("task_id", "task", query.taskId())
                .equal("webhook_id", "webhook", query.webhookId())
                .equal("success", "success", query.success())
                .atLeast("created_at", "from", at(query.from()))
                .below("created_at", "to", at(query.to()));
    }

    private static Delivery delivery(Readable row) {
        return new Delivery(
                row.get("id", UUID.class),
                row.get("webhook_id", UUID.class),
                row.get("event_id", String.class),
                row.get("task_id", String.class),
                row.get("event_type", String.class),
                DeliveryStatus.valueOf(row.get("status", String.class)),
                row.get("attempts", Integer.class),
                instant(row.get("next_attempt_at", OffsetDateTime.class)),
                row.get("last_status", Integer.class),
                row.get("last_error", String.class),
                instant(row.get("created_at", OffsetDateTime.class)),
                instant(row.get("updated_at", OffsetDateTime.class)),
                instant(row.get("delivered_at", OffsetDateTime.class)),
                instant(row.get("dead_at", OffsetDateTime.class)));
    }

    private PushLog log(Readable row) {
        String responseHeaders = row.get("response_headers", String.class);
        return new PushLog(
                row.get("id", Long.class),
                row.get("delivery_id", UUID.class),
                row.get("webhook_id", UUID.class),
                row.get("task_id", String.class),
                row.get("event_id", String.class),
                Boolean.TRUE.equals(row.get("success", Boolean.class)),
                row.get("http_status", Integer.class),
                json.readValue(row.get("request_headers", String.class), HEADERS),
                row.get("request_body", String.class),
                responseHeaders == null ? null : json.readValue(responseHeaders, HEADERS),
                row.get("response_body", String.class),
                row.get("duration_ms", Integer.class),
                row.get("retry_count", Integer.class),
                row.get("error_message", String.class),
                instant(row.get("created_at", OffsetDateTime.class)));
    }

    /** A {@code where} clause of the filters that are set, and their bindings. */
    private static final class Where {

        private final List<String> conditions = new ArrayList<>();
        private final Map<String, Object> values = new LinkedHashMap<>();

        Where is(String column, String literal) {
            conditions.add(column + " = " + literal);
            return this;
        }

        Where equal(String column, String name, Object value) {
            return add(column + " = :" + name, name, value);
        }

        Where atLeast(String column, String name, Object value) {
            return add(column + " >= :" + name, name, value);
        }

        Where below(String column, String name, Object value) {
            return add(column + " < :" + name, name, value);
        }

        private Where add(String condition, String name, Object value) {
            if (value != null) {
                conditions.add(condition);
                values.put(name, value);
            }
            return this;
        }

        DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec sql) {
            DatabaseClient.GenericExecuteSpec bound = sql;
            for (Map.Entry<String, Object> value : values.entrySet()) {
                bound = bound.bind(value.getKey(), value.getValue());
            }
            return bound;
        }

        @Override
        public String toString() {
            return conditions.isEmpty() ? "" : " where " + String.join(" and ", conditions);
        }
    }
}
