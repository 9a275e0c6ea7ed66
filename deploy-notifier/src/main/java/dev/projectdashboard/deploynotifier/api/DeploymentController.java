package dev.projectdashboard.deploynotifier.api;

import dev.projectdashboard.deploynotifier.ingest.DeploymentStatus;
import dev.projectdashboard.deploynotifier.ingest.Times;
import dev.projectdashboard.deploynotifier.store.DeploymentQueries;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The query API (gateway paths {@code /project-dashboard/api/v1/deployments/**} and {@code …/projects/**}). Every
 * call needs a user JWT; a user sees the projects of the {@code projects} claim ({@code *} or the admin role: all).
 * A deployment the user may not see is a 404, like one that does not exist.
 */
@RestController
@RequestMapping("/api/v1")
class DeploymentController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final int MAX_LOG_LIMIT = 1_000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Duration MIN_WINDOW = Duration.ofSeconds(1);
    private static final Duration MAX_WINDOW = Duration.ofDays(366);

    private final DeploymentQueries queries;

    DeploymentController(DeploymentQueries queries) {
        this.queries = queries;
    }

    /** Newest first; {@code before} is the previous page's {@code next_before} (or an RFC 3339 time). */
    @GetMapping("/deployments")
    Mono<DeploymentViews.Page> list(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam(required = false) String project,
            @RequestParam(required = false) String status,
            @RequestParam(required = false) Integer limit,
            @RequestParam(required = false) String before) {
        String projectFilter = project == null ? null : name("project", project);
        String statusFilter = status == null
                ? null
                : DeploymentStatus.of(status)
                        .map(DeploymentStatus::word)
                        .orElseThrow(
                                () -> invalid("status", "must be one of running, success, failed, cancelled, skipped"));
        int size = limit(limit, DEFAULT_LIMIT, MAX_LIMIT);
        DeploymentQueries.Cursor cursor = before == null ? null : cursor(before);
        if (projectFilter != null && !user.mayWatchProject(projectFilter)) {
            return Mono.just(new DeploymentViews.Page(List.of(), null));
        }
        return queries.list(user, projectFilter, statusFilter, cursor, size)
                .collectList()
                .map(items -> new DeploymentViews.Page(
                        items, items.size() < size ? null : next(items.get(items.size() - 1))));
    }

    /** One deployment with its steps and latest metrics; {@code project} picks one when several share the id. */
    @GetMapping("/deployments/{id}")
    Mono<DeploymentViews.Detail> get(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable String id,
            @RequestParam(required = false) String project) {
        return find(user, id, project)
                .flatMap(deployment -> queries.steps(deployment.project(), deployment.deploymentId())
                        .zipWith(queries.latestMetrics(deployment.project(), deployment.deploymentId())
                                .map(Optional::of)
                                .defaultIfEmpty(Optional.empty()))
                        .map(both -> new DeploymentViews.Detail(
                                deployment, both.getT1(), both.getT2().orElse(null))));
    }

    /** Log lines in arrival order after {@code after} (a previous page's {@code next_after}). */
    @GetMapping("/deployments/{id}/logs")
    Mono<DeploymentViews.Logs> logs(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable String id,
            @RequestParam(required = false) String project,
            @RequestParam(required = false) Long after,
            @RequestParam(required = false) Integer limit) {
        if (after != null && after < 0) {
            throw invalid("after", "must not be negative");
        }
        int size = limit(limit, 200, MAX_LOG_LIMIT);
        return find(user, id, project).flatMap(deployment -> queries.logs(
                        deployment.project(), deployment.deploymentId(), after == null ? 0 : after, size)
                .map(lines -> new DeploymentViews.Logs(
                        deployment.project(),
                        deployment.deploymentId(),
                        lines,
                        lines.isEmpty() ? after : lines.get(lines.size() - 1).seq())));
    }

    @GetMapping("/projects")
    Mono<DeploymentViews.Projects> projects(@AuthenticationPrincipal DashboardPrincipal user) {
        return queries.projects(user).map(DeploymentViews.Projects::new);
    }

    /** Success rate, counts and p50/p95 duration over {@code window} (ISO-8601 duration, default 30 days). */
    @GetMapping("/projects/{project}/metrics")
    Mono<DeploymentViews.Metrics> metrics(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable String project,
            @RequestParam(required = false) String window) {
        String name = name("project", project);
        Duration span;
        try {
            span = window == null ? Duration.ofDays(30) : Duration.parse(window);
        } catch (DateTimeParseException e) {
            throw invalid("window", "must be an ISO-8601 duration such as P7D or PT12H");
        }
        if (span.compareTo(MIN_WINDOW) < 0 || span.compareTo(MAX_WINDOW) > 0) {
            throw invalid("window", "must be between PT1S and P366D");
        }
        if (!user.mayWatchProject(name)) {
            return Mono.error(notFound("project " + name));
        }
        return queries.metrics(name, span.toString(), Instant.now().minus(span));
    }

    private Mono<DeploymentViews.Deployment> find(DashboardPrincipal user, String id, String project) {
        String deploymentId = name("id", id);
        String projectFilter = project == null ? null : name("project", project);
        return queries.find(user, deploymentId, projectFilter)
                .next()
                .switchIfEmpty(Mono.error(() -> notFound("deployment " + deploymentId)));
    }

    private static ProblemException notFound(String what) {
        return new ProblemException(HttpStatus.NOT_FOUND, "No " + what + " that you may see");
    }

    private static String name(String parameter, String value) {
        if (!NAME.matcher(value).matches()) {
            throw invalid(parameter, "must be 1-128 letters, digits, '.', '_' or '-'");
        }
        return value;
    }

    private static int limit(Integer limit, int fallback, int max) {
        if (limit == null) {
            return fallback;
        }
        if (limit < 1 || limit > max) {
            throw invalid("limit", "must be between 1 and " + max);
        }
        return limit;
    }

    /** {@code next_before}: where the next page starts, as an opaque base64url string. */
    static String next(DeploymentViews.Deployment last) {
        String raw = last.startedAt() + "|" + last.project() + "|" + last.deploymentId();
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    static DeploymentQueries.Cursor cursor(String before) {
        Instant time = Times.parse(before);
        DeploymentQueries.Cursor cursor = time != null ? new DeploymentQueries.Cursor(time, "", "") : decode(before);
        if (cursor == null) {
            throw invalid("before", "must be a previous page's next_before or an RFC 3339 time");
        }
        // PostgreSQL refuses a time beyond its range: without this, a 500
        if (!Times.inRange(cursor.startedAt())) {
            throw invalid("before", "must be a time " + Times.RANGE);
        }
        return cursor;
    }

    /** A {@code next_before}; {@code null} when {@code before} is none. */
    private static DeploymentQueries.Cursor decode(String before) {
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(before), StandardCharsets.UTF_8).split("\\|", -1);
            if (parts.length == 3
                    && NAME.matcher(parts[1]).matches()
                    && NAME.matcher(parts[2]).matches()) {
                return new DeploymentQueries.Cursor(Instant.parse(parts[0]), parts[1], parts[2]);
            }
        } catch (IllegalArgumentException | DateTimeParseException e) {
            // not a cursor either
        }
        return null;
    }

    /** A 400 naming the query parameter (or path segment) that is wrong. */
    private static ProblemException invalid(String parameter, String message) {
        return ProblemException.invalid(parameter + " " + message, List.of(new FieldViolation(parameter, message)));
    }
}
