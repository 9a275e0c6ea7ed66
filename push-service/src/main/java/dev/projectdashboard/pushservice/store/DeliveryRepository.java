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
import java.util.function.Function;
import java.util.function.IntFunction;
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

    private final Batcher<Outcome, Boolean> outcomes =
            new Batcher<>("storing attempt outcomes", this::storeOutcomes, 200, 4);

    private record Outcome(UUID deliveryId, String owner, Attempted attempted) {}

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
        return outcomes.submit(new Outcome(deliveryId, owner, attempted));
    }

    /**
     * The outcomes of attempts that ended together, in one transaction of two statements: every delivery whose lease
     * its replica still holds moved on, then the log rows of those (and only those) appended.
     */
    private Mono<List<Boolean>> storeOutcomes(List<Outcome> batch) {
        Mono<Set<UUID>> move = database.sql("update delivery d set status = v.status, attempts = v.attempts,"
                        + " next_attempt_at = coalesce(v.next, d.next_attempt_at), last_status = v.last_status,"
                        + " last_error = v.last_error, lease_owner = null, lease_until = null, updated_at = v.at,"
                        + " delivered_at = case when v.status = 'DELIVERED' then v.at else d.delivered_at end,"
                        + " dead_at = case when v.status = 'PUSH_FAILED' then v.at else d.dead_at end"
                        + " from unnest(:ids, :owners, :statuses, :attempts, cast(:nexts as timestamptz[]),"
                        + " :last_statuses, :last_errors, cast(:ats as timestamptz[]))"
                        + " as v(id, owner, status, attempts, next, last_status, last_error, at)"
                        + " where d.id = v.id and d.lease_owner = v.owner returning d.id")
                .bind("ids", column(batch, Outcome::deliveryId, UUID[]::new))
                .bind("owners", column(batch, Outcome::owner, String[]::new))
                .bind(
                        "statuses",
                        column(batch, item -> item.attempted().status().name(), String[]::new))
                .bind("attempts", column(batch, item -> item.attempted().attempts(), Integer[]::new))
                .bind("nexts", column(batch, item -> text(item.attempted().nextAttemptAt()), String[]::new))
                .bind(
                        "last_statuses",
                        column(batch, item -> item.attempted().log().httpStatus(), Integer[]::new))
                .bind(
                        "last_errors",
                        column(batch, item -> item.attempted().log().errorMessage(), String[]::new))
                .bind("ats", column(batch, item -> text(item.attempted().at()), String[]::new))
                .map(row -> row.get("id", UUID.class))
                .all()
                .collect(Collectors.toSet());
        Mono<List<Boolean>> stored = move.flatMap(applied -> {
            List<PushLog> entries = batch.stream()
                    .filter(item -> applied.contains(item.deliveryId()))
                    .map(item -> item.attempted().log())
                    .toList();
            List<Boolean> answers = batch.stream()
                    .map(item -> applied.contains(item.deliveryId()))
                    .toList();
            return entries.isEmpty() ? Mono.just(answers) : insertLogs(entries).thenReturn(answers);
        });
        return committed(stored, List.of()).retryWhen(Deadlocks.retry());
    }

    private static <T, C> C[] column(List<T> items, Function<T, C> value, IntFunction<C[]> array) {
        return items.stream().map(value).toArray(array);
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    @Override
    public Mono<Void> append(PushLog log) {
        return insertLogs(List.of(log)).then();
    }

    private Mono<Long> insertLogs(List<PushLog> entries) {
        return database.sql("insert into push_log (delivery_id, webhook_id, task_id, event_id, success,"
                        + " http_status, request_headers, request_body, response_headers, response_body, duration_ms,"
                        + " retry_count, error_message, created_at) select * from unnest(:deliveries, :webhooks,"
                        + " :tasks, :events, :successes, :statuses, cast(:request_headers as jsonb[]), :request_bodies,"
                        + " cast(:response_headers as jsonb[]), :response_bodies, :durations, :retry_counts, :errors,"
                        + " cast(:ats as timestamptz[]))")
                .bind("deliveries", column(entries, PushLog::deliveryId, UUID[]::new))
                .bind("webhooks", column(entries, PushLog::webhookId, UUID[]::new))
                .bind("tasks", column(entries, PushLog::taskId, String[]::new))
                .bind("events", column(entries, PushLog::eventId, String[]::new))
                .bind("successes", column(entries, PushLog::success, Boolean[]::new))
                .bind("statuses", column(entries, PushLog::httpStatus, Integer[]::new))
                .bind(
                        "request_headers",
                        column(entries, entry -> json.writeValueAsString(entry.requestHeaders()), String[]::new))
                .bind("request_bodies", column(entries, PushLog::requestBody, String[]::new))
                .bind(
                        "response_headers",
                        column(
                                entries,
                                entry -> entry.responseHeaders() == null
                                        ? null
                                        : json.writeValueAsString(entry.responseHeaders()),
                                String[]::new))
                .bind("response_bodies", column(entries, PushLog::responseBody, String[]::new))
                .bind(
                        "durations",
                        column(entries, entry -> (int) Math.min(Integer.MAX_VALUE, entry.durationMs()), Integer[]::new))
                .bind("retry_counts", column(entries, PushLog::retryCount, Integer[]::new))
                .bind("errors", column(entries, PushLog::errorMessage, String[]::new))
                .bind("ats", column(entries, entry -> text(entry.createdAt()), String[]::new))
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
                .bind("ids", column(batch, Postponement::id, UUID[]::new))
                .bind("owners", column(batch, Postponement::owner, String[]::new))
                .bind("nexts", column(batch, item -> text(item.next()), String[]::new))
                .map(row -> row.get("id", UUID.class))
                .all()
                .collect(Collectors.toSet())
                .map(applied ->
                        batch.stream().map(item -> applied.contains(item.id())).toList())
                .retryWhen(Deadlocks.retry());
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
