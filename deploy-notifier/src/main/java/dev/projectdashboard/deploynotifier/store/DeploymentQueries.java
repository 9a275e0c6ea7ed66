package dev.projectdashboard.deploynotifier.store;

import dev.projectdashboard.deploynotifier.deployment.Deployment;
import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Durations;
import dev.projectdashboard.deploynotifier.deployment.LogEntry;
import dev.projectdashboard.deploynotifier.deployment.ProjectStatistics;
import dev.projectdashboard.deploynotifier.deployment.ProjectSummary;
import dev.projectdashboard.deploynotifier.deployment.Step;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads deployments for the query API, limited to the projects the user may watch. */
@Repository
public class DeploymentQueries {

    private static final String COLUMNS = "project, deployment_id, workflow_name, workflow_id, status, started_at,"
            + " completed_at, duration_seconds, logs, html_url, updated_at";

    private final DatabaseClient database;
    private final JsonMapper json;

    DeploymentQueries(DatabaseClient database, JsonMapper json) {
        this.database = database;
        this.json = json;
    }

    /** A position in the newest-first order: before this start time, or at it and before this key. */
    public record Cursor(Instant startedAt, String project, String deploymentId) {}

    public Flux<Deployment> list(
            DashboardPrincipal user, String project, DeploymentStatus status, Cursor before, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from deployment where true");
        Visibility visibility = Visibility.of(user);
        sql.append(visibility.clause());
        if (project != null) {
            sql.append(" and project = :project");
        }
        if (status != null) {
            sql.append(" and status = :status");
        }
        if (before != null) {
            sql.append(" and (started_at, project, deployment_id) < (:beforeAt, :beforeProject, :beforeId)");
        }
        sql.append(" order by started_at desc, project desc, deployment_id desc limit :limit");
        DatabaseClient.GenericExecuteSpec spec = visibility.bind(database.sql(sql.toString()));
        if (project != null) {
            spec = spec.bind("project", project);
        }
        if (status != null) {
            spec = spec.bind("status", status.word());
        }
        if (before != null) {
            spec = spec.bind("beforeAt", DeploymentStore.at(before.startedAt()))
                    .bind("beforeProject", before.project())
                    .bind("beforeId", before.deploymentId());
        }
        return spec.bind("limit", limit).map(DeploymentQueries::deployment).all();
    }

    /** The visible deployments with this id (normally one; ids are per project), newest first. */
    public Flux<Deployment> find(DashboardPrincipal user, String deploymentId, String project) {
        Visibility visibility = Visibility.of(user);
        String sql = "select " + COLUMNS + " from deployment where deployment_id = :id" + visibility.clause()
                + (project == null ? "" : " and project = :project") + " order by started_at desc";
        DatabaseClient.GenericExecuteSpec spec =
                visibility.bind(database.sql(sql)).bind("id", deploymentId);
        if (project != null) {
            spec = spec.bind("project", project);
        }
        return spec.map(DeploymentQueries::deployment).all();
    }

    public Mono<List<Step>> steps(String project, String deploymentId) {
        return database.sql("select step_name, status, started_at, completed_at, duration_seconds, logs"
                        + " from deployment_step where project = :project and deployment_id = :id order by position")
                .bind("project", project)
                .bind("id", deploymentId)
                .map(row -> new Step(
                        row.get(0, String.class),
                        StepStatus.of(row.get(1, String.class)).orElseThrow(),
                        instant(row, 2),
                        instant(row, 3),
                        seconds(row, 4),
                        row.get(5, String.class)))
                .all()
                .collectList();
    }

    /** The latest metrics snapshot as sent; empty when there is none. */
    public Mono<JsonNode> latestMetrics(String project, String deploymentId) {
        return database.sql("select metrics from deployment_metrics where project = :project and deployment_id = :id"
                        + " order by id desc limit 1")
                .bind("project", project)
                .bind("id", deploymentId)
                .map(row -> json.readTree(row.get(0, String.class)))
                .one();
    }

    public Mono<List<LogEntry>> logs(String project, String deploymentId, long after, int limit) {
        return database.sql("select id, logged_at, level, message, source, log_stream_id from deployment_log"
                        + " where project = :project and deployment_id = :id and id > :after order by id limit :limit")
                .bind("project", project)
                .bind("id", deploymentId)
                .bind("after", after)
                .bind("limit", limit)
                .map(row -> new LogEntry(
                        row.get(0, Long.class),
                        instant(row, 1),
                        row.get(2, String.class),
                        row.get(3, String.class),
                        row.get(4, String.class),
                        row.get(5, String.class)))
                .all()
                .collectList();
    }

    public Mono<List<ProjectSummary>> projects(DashboardPrincipal user) {
        Visibility visibility = Visibility.of(user);
        String sql = "select distinct on (project) project, count(*) over (partition by project), started_at, status,"
                + " deployment_id from deployment where true" + visibility.clause()
                + " order by project, started_at desc, deployment_id desc";
        return visibility
                .bind(database.sql(sql))
                .map(row -> new ProjectSummary(
                        row.get(0, String.class),
                        row.get(1, Long.class),
                        instant(row, 2),
                        status(row, 3),
                        row.get(4, String.class)))
                .all()
                .collectList();
    }

    /** Counts and duration percentiles of the project's deployments started in the {@code window} before {@code now}. */
    public Mono<ProjectStatistics> statistics(String project, Duration window, Instant now) {
        Instant since = now.minus(window);
        return database.sql("select count(*),"
                        + " count(*) filter (where status = 'success'),"
                        + " count(*) filter (where status = 'failed'),"
                        + " count(*) filter (where status = 'cancelled'),"
                        + " count(*) filter (where status = 'skipped'),"
                        + " count(*) filter (where status = 'running'),"
                        + " percentile_cont(0.5) within group (order by duration_seconds)"
                        + "   filter (where status in ('success', 'failed', 'cancelled')),"
                        + " percentile_cont(0.95) within group (order by duration_seconds)"
                        + "   filter (where status in ('success', 'failed', 'cancelled'))"
                        + " from deployment where project = :project and started_at >= :since")
                .bind("project", project)
                .bind("since", DeploymentStore.at(since))
                .map(row -> new ProjectStatistics(
                        project,
                        window,
                        since,
                        row.get(0, Long.class),
                        row.get(1, Long.class),
                        row.get(2, Long.class),
                        row.get(3, Long.class),
                        row.get(4, Long.class),
                        row.get(5, Long.class),
                        row.get(6, Double.class),
                        row.get(7, Double.class)))
                .one();
    }

    private static Deployment deployment(Readable row) {
        return new Deployment(
                row.get(0, String.class),
                row.get(1, String.class),
                row.get(2, String.class),
                row.get(3, String.class),
                status(row, 4),
                instant(row, 5),
                instant(row, 6),
                seconds(row, 7),
                row.get(8, String.class),
                row.get(9, String.class),
                instant(row, 10));
    }

    /** A stored duration as the API answers it: a derived one is stored with six decimals, {@code 45.000000}. */
    private static BigDecimal seconds(Readable row, int index) {
        return Durations.seconds(row.get(index, BigDecimal.class));
    }

    /** A stored status: always one of the words {@link DeploymentStatus#word()} writes. */
    private static DeploymentStatus status(Readable row, int index) {
        return DeploymentStatus.of(row.get(index, String.class)).orElseThrow();
    }

    private static Instant instant(Readable row, int index) {
        OffsetDateTime value = row.get(index, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /** The SQL condition limiting rows to the user's projects. */
    private record Visibility(String[] projects) {

        static Visibility of(DashboardPrincipal user) {
            if (user.isAdmin() || user.projects().contains(DashboardPrincipal.ANY)) {
                return new Visibility(null);
            }
            return new Visibility(user.projects().toArray(String[]::new));
        }

        String clause() {
            return projects == null ? "" : " and project = any(:visible)";
        }

        DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec) {
            return projects == null ? spec : spec.bind("visible", projects);
        }
    }
}
