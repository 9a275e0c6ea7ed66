package dev.projectdashboard.deploynotifier.store;

import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Durations;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.OutgoingEvent;
import dev.projectdashboard.eventbus.CloudEvent;
import io.r2dbc.spi.Parameters;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Writes accepted notifications: the delivery (once per delivery key), what it says about the deployment, its steps,
 * logs and metrics, and the events to publish (outbox), all in one transaction. A delivery seen before changes
 * nothing and answers with its first id and the events it still has to publish.
 */
@Repository
public class DeploymentStore {

    /** A received webhook: {@code key} is the GitHub delivery id or the body's hash. */
    public record Delivery(String key, String endpoint, String kind, String project, String deploymentId) {}

    /**
     * The outcome: the delivery's id and what it was (for a repeat: the first delivery, whatever the repeat's body
     * said), whether it had been received before, how many events it has, and for a new delivery the outbox rows just
     * written (in the order of its events).
     */
    public record Stored(UUID id, Delivery delivery, boolean duplicate, int events, List<Long> outboxIds) {}

    private final DatabaseClient database;
    private final TransactionalOperator transactions;
    private final Clock clock;

    DeploymentStore(DatabaseClient database, TransactionalOperator transactions, Clock clock) {
        this.database = database;
        this.transactions = transactions;
        this.clock = clock;
    }

    public Mono<Stored> store(Delivery delivery, List<Notification> notifications, List<OutgoingEvent> events) {
        // not UUID.randomUUID(): it may read the OS entropy pool, a blocking call on an event loop
        UUID id = UUID.fromString(CloudEvent.newId());
        if (notifications.size() == 1 && notifications.get(0) instanceof Notification.Logs logs) {
            return storeLogs(id, delivery, logs, events);
        }
        Mono<Stored> work = database.sql("insert into webhook_delivery (delivery_key, id, endpoint, kind, project,"
                        + " deployment_id) values (:key, :id, :endpoint, :kind, :project, :deployment)"
                        + " on conflict (delivery_key) do nothing")
                .bind("key", delivery.key())
                .bind("id", id)
                .bind("endpoint", delivery.endpoint())
                .bind("kind", delivery.kind())
                .bind("project", nullable(delivery.project()))
                .bind("deployment", nullable(delivery.deploymentId()))
                .fetch()
                .rowsUpdated()
                .flatMap(inserted -> inserted == 1
                        ? apply(notifications)
                                .then(outbox(delivery.key(), events))
                                .map(outboxIds -> new Stored(id, delivery, false, events.size(), outboxIds))
                        : first(delivery.key()));
        return transactions.transactional(work);
    }

    /**
     * A delivery received before, as it was stored: a repeat answers with it, never with what the repeat's own body
     * says (a reused delivery id with another body must not echo that body's ids).
     */
    private Mono<Stored> first(String key) {
        return database.sql("select id, endpoint, kind, project, deployment_id,"
                        + " (select count(*) from event_outbox o where o.delivery_key = d.delivery_key)"
                        + " from webhook_delivery d where delivery_key = :key")
                .bind("key", key)
                .map(row -> new Stored(
                        row.get(0, UUID.class),
                        new Delivery(
                                key,
                                row.get(1, String.class),
                                row.get(2, String.class),
                                row.get(3, String.class),
                                row.get(4, String.class)),
                        true,
                        row.get(5, Long.class).intValue(),
                        List.of()))
                .one();
    }

    /**
     * Log lines, the bulk of the traffic, in one statement: the delivery, the deployment when it is new, the lines and
     * the outbox rows are inserted together or (a delivery seen before) not at all. One round trip instead of a
     * transaction of five; the foreign keys are checked at the end of the statement, when every row exists.
     */
    private Mono<Stored> storeLogs(UUID id, Delivery delivery, Notification.Logs logs, List<OutgoingEvent> events) {
        List<Notification.LogLine> lines = logs.lines();
        Instant seenAt = lines.isEmpty() ? clock.instant() : lines.get(0).timestamp();
        return database.sql("with delivery as (insert into webhook_delivery (delivery_key, id, endpoint, kind,"
                        + " project, deployment_id) values (:key, :id, :endpoint, :kind, :project, :deployment)"
                        + " on conflict (delivery_key) do nothing returning delivery_key),"
                        + " created as (insert into deployment (project, deployment_id, status, started_at, updated_at)"
                        + " select :project, :deployment, 'running', :seenAt, now() from delivery"
                        + " on conflict (project, deployment_id) do nothing),"
                        + " lines as (insert into deployment_log (project, deployment_id, log_stream_id, logged_at,"
                        + " level, message, source) select :project, :deployment, l.stream, l.at::timestamptz, l.level,"
                        + " l.message, l.source from delivery, unnest(:streams::text[], :ats::text[], :levels::text[],"
                        + " :messages::text[], :sources::text[]) with ordinality as l(stream, at, level, message,"
                        + " source, n) order by l.n),"
                        + " outbox as (insert into event_outbox (delivery_key, event_id, event_type, event)"
                        + " select delivery.delivery_key, o.id, o.type, o.event from delivery,"
                        + " unnest(:eventIds::text[], :types::text[], :events::text[]) with ordinality"
                        + " as o(id, type, event, n) order by o.n returning id)"
                        + " select (select count(*) from delivery), array(select id from outbox order by id)")
                .bind("key", delivery.key())
                .bind("id", id)
                .bind("endpoint", delivery.endpoint())
                .bind("kind", delivery.kind())
                .bind("project", logs.project())
                .bind("deployment", logs.deploymentId())
                .bind("seenAt", at(seenAt))
                .bind(
                        "streams",
                        lines.stream().map(Notification.LogLine::logStreamId).toArray(String[]::new))
                .bind(
                        "ats",
                        lines.stream().map(line -> line.timestamp().toString()).toArray(String[]::new))
                .bind("levels", lines.stream().map(Notification.LogLine::level).toArray(String[]::new))
                .bind(
                        "messages",
                        lines.stream().map(Notification.LogLine::message).toArray(String[]::new))
                .bind(
                        "sources",
                        lines.stream().map(Notification.LogLine::source).toArray(String[]::new))
                .bind("eventIds", events.stream().map(e -> e.event().id()).toArray(String[]::new))
                .bind("types", events.stream().map(e -> e.event().type()).toArray(String[]::new))
                .bind("events", events.stream().map(OutgoingEvent::json).toArray(String[]::new))
                .map(row -> new Object[] {row.get(0, Long.class), row.get(1, Long[].class)})
                .one()
                .flatMap(row -> (Long) row[0] == 1
                        ? Mono.just(new Stored(id, delivery, false, events.size(), List.of((Long[]) row[1])))
                        : first(delivery.key()));
    }

    /** The delivery's events in one statement; the ids of their outbox rows, in the events' order. */
    private Mono<List<Long>> outbox(String deliveryKey, List<OutgoingEvent> events) {
        if (events.isEmpty()) {
            return Mono.just(List.of());
        }
        return database.sql("insert into event_outbox (delivery_key, event_id, event_type, event)"
                        + " select :key, o.id, o.type, o.event from unnest(:eventIds::text[], :types::text[],"
                        + " :events::text[]) with ordinality as o(id, type, event, n) order by o.n returning id")
                .bind("key", deliveryKey)
                .bind("eventIds", events.stream().map(e -> e.event().id()).toArray(String[]::new))
                .bind("types", events.stream().map(e -> e.event().type()).toArray(String[]::new))
                .bind("events", events.stream().map(OutgoingEvent::json).toArray(String[]::new))
                .map(row -> row.get(0, Long.class))
                .all()
                .sort()
                .collectList();
    }

    /**
     * What the notifications say, in their order. The steps of one deployment (a GitHub job lists up to {@code
     * max-job-steps}) go in a fixed number of statements, not two per step.
     */
    private Mono<Void> apply(List<Notification> notifications) {
        List<Notification.Step> steps = notifications.stream()
                .filter(Notification.Step.class::isInstance)
                .map(Notification.Step.class::cast)
                .toList();
        if (!steps.isEmpty() && steps.size() == notifications.size() && sameDeployment(steps)) {
            return steps(steps);
        }
        return Flux.fromIterable(notifications).concatMap(this::apply).then();
    }

    private static boolean sameDeployment(List<Notification.Step> steps) {
        Notification.Step first = steps.get(0);
        return steps.stream()
                .allMatch(step -> step.project().equals(first.project())
                        && step.deploymentId().equals(first.deploymentId()));
    }

    private Mono<Void> apply(Notification notification) {
        if (notification instanceof Notification.Step step) {
            return steps(List.of(step));
        }
        if (notification instanceof Notification.Completed completed) {
            return deployment(
                            completed.project(),
                            completed.deploymentId(),
                            completed.workflowName(),
                            completed.workflowId(),
                            completed.startedAt() != null ? completed.startedAt() : completed.timestamp(),
                            completed.htmlUrl())
                    .then(complete(completed));
        }
        if (notification instanceof Notification.Logs logs) {
            return deployment(
                            logs.project(),
                            logs.deploymentId(),
                            null,
                            null,
                            logs.lines().isEmpty()
                                    ? clock.instant()
                                    : logs.lines().get(0).timestamp(),
                            null)
                    .thenMany(Flux.fromIterable(logs.lines())
                            .concatMap(line -> log(logs.project(), logs.deploymentId(), line)))
                    .then();
        }
        if (notification instanceof Notification.Metrics metrics) {
            return ensureDeployment(metrics.project(), metrics.deploymentId(), metrics.timestamp())
                    .then(metrics(metrics));
        }
        if (notification instanceof Notification.RunStarted run) {
            return deployment(
                    run.project(),
                    run.deploymentId(),
                    run.workflowName(),
                    run.workflowId(),
                    run.startedAt() != null ? run.startedAt() : clock.instant(),
                    run.htmlUrl());
        }
        return Mono.empty(); // a test notification stores nothing but its delivery
    }

    /**
     * Creates the deployment when a log line or metrics snapshot is the first thing heard of it, and otherwise leaves
     * the row alone: an update would lock it until commit, and every log line of a busy run would wait for the
     * previous one's transaction.
     */
    private Mono<Void> ensureDeployment(String project, String deploymentId, Instant seenAt) {
        return database.sql("insert into deployment (project, deployment_id, status, started_at, updated_at)"
                        + " values (:project, :deployment, 'running', :seenAt, now())"
                        + " on conflict (project, deployment_id) do nothing")
                .bind("project", project)
                .bind("deployment", deploymentId)
                .bind("seenAt", at(seenAt))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * Creates the deployment on its first notification, or fills in what it did not know yet; the start time is the
     * earliest seen, so notifications arriving out of order still give the right one.
     */
    private Mono<Void> deployment(
            String project, String deploymentId, String workflowName, String workflowId, Instant seenAt, String url) {
        return database.sql("insert into deployment (project, deployment_id, workflow_name, workflow_id, status,"
                        + " started_at, html_url, updated_at) values (:project, :deployment, :workflowName,"
                        + " :workflowId, 'running', :seenAt, :url, now()) on conflict (project, deployment_id) do update"
                        + " set workflow_name = coalesce(excluded.workflow_name, deployment.workflow_name),"
                        + " workflow_id = coalesce(excluded.workflow_id, deployment.workflow_id),"
                        + " started_at = least(deployment.started_at, excluded.started_at),"
                        + " html_url = coalesce(excluded.html_url, deployment.html_url), updated_at = now()")
                .bind("project", project)
                .bind("deployment", deploymentId)
                .bind("workflowName", nullable(workflowName))
                .bind("workflowId", nullable(workflowId))
                .bind("seenAt", at(seenAt))
                .bind("url", nullable(url))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * Steps of one deployment: the deployment as the earliest of them and the last named workflow would leave it, then
     * the steps in as many statements as a name repeats (once, unless a job lists two steps of the same name), each
     * behaving as if its steps were written one after the other: a new step is placed after every step before it, a
     * known one keeps its place and takes the newer status and times.
     */
    private Mono<Void> steps(List<Notification.Step> steps) {
        Notification.Step first = steps.get(0);
        Instant earliest = steps.stream()
                .map(Notification.Step::timestamp)
                .min(Instant::compareTo)
                .orElseThrow();
        String workflowName = last(steps, Notification.Step::workflowName);
        String workflowId = last(steps, Notification.Step::workflowId);
        Mono<Void> work = deployment(first.project(), first.deploymentId(), workflowName, workflowId, earliest, null);
        for (List<Notification.Step> round : rounds(steps)) {
            work = work.then(stepRound(first.project(), first.deploymentId(), round));
        }
        return work;
    }

    private static String last(List<Notification.Step> steps, Function<Notification.Step, String> field) {
        String last = null;
        for (Notification.Step step : steps) {
            last = field.apply(step) != null ? field.apply(step) : last;
        }
        return last;
    }

    /**
     * The steps split so that no statement holds a name twice (an upsert may not touch a row twice): the first round
     * has every name's first occurrence, in order, the next the second occurrences, and so on.
     */
    private static List<List<Notification.Step>> rounds(List<Notification.Step> steps) {
        List<List<Notification.Step>> rounds = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Notification.Step step : steps) {
            int round = seen.merge(step.stepName(), 1, Integer::sum) - 1;
            if (round == rounds.size()) {
                rounds.add(new ArrayList<>());
            }
            rounds.get(round).add(step);
        }
        return rounds;
    }

    private Mono<Void> stepRound(String project, String deploymentId, List<Notification.Step> steps) {
        int size = steps.size();
        String[] names = new String[size];
        String[] statuses = new String[size];
        String[] startedAts = new String[size];
        String[] completedAts = new String[size];
        String[] durations = new String[size];
        String[] logs = new String[size];
        for (int i = 0; i < size; i++) {
            Notification.Step step = steps.get(i);
            boolean begins = !step.status().ended();
            names[i] = step.stepName();
            statuses[i] = step.status().word();
            startedAts[i] = begins ? step.timestamp().toString() : null;
            completedAts[i] = begins ? null : step.timestamp().toString();
            // the deployment webhook's step_started says duration 0 (docs/contracts.md, "Deployments"): not yet known
            boolean unknown = step.duration() == null
                    || (step.started() && step.duration().signum() == 0);
            durations[i] = unknown ? null : step.duration().toPlainString();
            logs[i] = step.logs();
        }
        return database.sql("insert into deployment_step (project, deployment_id, step_name, position, status,"
                        + " started_at, completed_at, duration_seconds, logs, updated_at) select :project, :deployment,"
                        + " s.name, (select coalesce(max(position), 0) from deployment_step where project = :project"
                        + " and deployment_id = :deployment) + s.n, s.status, s.started::timestamptz,"
                        + " s.completed::timestamptz, s.duration::numeric, s.logs, now() from unnest(:names::text[],"
                        + " :statuses::text[], :startedAts::text[], :completedAts::text[], :durations::text[],"
                        + " :logs::text[]) with ordinality as s(name, status, started, completed, duration, logs, n)"
                        + " order by s.n"
                        + " on conflict (project, deployment_id, step_name) do update set status = excluded.status,"
                        + " started_at = coalesce(deployment_step.started_at, excluded.started_at),"
                        + " completed_at = coalesce(excluded.completed_at, deployment_step.completed_at),"
                        + " duration_seconds = coalesce(excluded.duration_seconds, case when excluded.completed_at is"
                        + " not null and deployment_step.started_at is not null then"
                        + secondsBetween("deployment_step.started_at", "excluded.completed_at")
                        + " end, deployment_step.duration_seconds),"
                        + " logs = coalesce(excluded.logs, deployment_step.logs), updated_at = now()")
                .bind("project", project)
                .bind("deployment", deploymentId)
                .bind("names", names)
                .bind("statuses", statuses)
                .bind("startedAts", startedAts)
                .bind("completedAts", completedAts)
                .bind("durations", durations)
                .bind("logs", logs)
                .fetch()
                .rowsUpdated()
                .then();
    }

    private Mono<Void> complete(Notification.Completed completed) {
        Instant completedAt = completed.completedAt() != null ? completed.completedAt() : completed.timestamp();
        DeploymentStatus status = completed.status();
        return database.sql("update deployment set status = :status, completed_at = :completedAt,"
                        + " started_at = least(started_at, coalesce(:startedAt, started_at)),"
                        + " duration_seconds = coalesce(:duration,"
                        + secondsBetween("least(started_at, coalesce(:startedAt, started_at))", ":completedAt") + "),"
                        + " logs = coalesce(:logs, logs), updated_at = now()"
                        + " where project = :project and deployment_id = :deployment")
                .bind("status", status.word())
                .bind("completedAt", at(completedAt))
                .bind("startedAt", completed.startedAt() == null ? nullTime() : at(completed.startedAt()))
                .bind(
                        "duration",
                        completed.duration() == null ? (Object) Parameters.in(BigDecimal.class) : completed.duration())
                .bind("logs", nullable(completed.logs()))
                .bind("project", completed.project())
                .bind("deployment", completed.deploymentId())
                .fetch()
                .rowsUpdated()
                .then();
    }

    private Mono<Void> log(String project, String deploymentId, Notification.LogLine line) {
        return database.sql("insert into deployment_log (project, deployment_id, log_stream_id, logged_at, level,"
                        + " message, source) values (:project, :deployment, :stream, :at, :level, :message, :source)")
                .bind("project", project)
                .bind("deployment", deploymentId)
                .bind("stream", nullable(line.logStreamId()))
                .bind("at", at(line.timestamp()))
                .bind("level", line.level())
                .bind("message", line.message())
                .bind("source", nullable(line.source()))
                .fetch()
                .rowsUpdated()
                .then();
    }

    private Mono<Void> metrics(Notification.Metrics metrics) {
        return database.sql("insert into deployment_metrics (project, deployment_id, recorded_at, metrics)"
                        + " values (:project, :deployment, :at, :metrics)")
                .bind("project", metrics.project())
                .bind("deployment", metrics.deploymentId())
                .bind("at", at(metrics.timestamp()))
                .bind("metrics", metrics.metrics().toString())
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * SQL for the seconds from one time to another when the notification gave no duration: to the microsecond, like a
     * duration that is sent ({@code Durations}), and never negative.
     */
    private static String secondsBetween(String from, String to) {
        return " greatest(0, round(extract(epoch from " + to + " - " + from + ")::numeric, " + Durations.SCALE + "))";
    }

    /** A time as bound to a {@code timestamptz} parameter. */
    public static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static Object nullTime() {
        return Parameters.in(OffsetDateTime.class);
    }

    private static Object nullable(String value) {
        return value == null ? Parameters.in(String.class) : value;
    }
}
