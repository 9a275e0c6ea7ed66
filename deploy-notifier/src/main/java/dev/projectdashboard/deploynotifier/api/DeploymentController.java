package dev.projectdashboard.deploynotifier.api;

import dev.projectdashboard.deploynotifier.deployment.Names;
import dev.projectdashboard.deploynotifier.store.DeploymentQueries;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
 * A deployment the user may not see is a 404, like one that does not exist. Parameters are checked by their
 * constraints before a method runs: a 400 names each one that is wrong.
 */
@RestController
@RequestMapping("/api/v1")
class DeploymentController {

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 200;
    static final int DEFAULT_LOG_LIMIT = 200;
    static final int MAX_LOG_LIMIT = 1_000;

    private final DeploymentQueries queries;
    private final Clock clock;

    DeploymentController(DeploymentQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** Newest first; {@code before} is the previous page's {@code next_before} (or an RFC 3339 time). */
    @GetMapping("/deployments")
    Mono<DeploymentViews.Page> list(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam(required = false) @Pattern(regexp = Names.REGEX, message = Names.RULE) String project,
            @RequestParam(required = false) @QueryParameters.Status String status,
            @RequestParam(defaultValue = "" + DEFAULT_LIMIT)
                    @Min(value = 1, message = "must be between 1 and " + MAX_LIMIT)
                    @Max(value = MAX_LIMIT, message = "must be between 1 and " + MAX_LIMIT)
                    int limit,
            @RequestParam(required = false) @QueryParameters.Before String before) {
        if (project != null && !user.mayWatchProject(project)) {
            return Mono.just(new DeploymentViews.Page(List.of(), null));
        }
        return queries.list(user, project, QueryParameters.status(status), QueryParameters.cursor(before), limit)
                .map(DeploymentViews.Deployment::of)
                .collectList()
                .map(items -> new DeploymentViews.Page(
                        items, items.size() < limit ? null : QueryParameters.next(items.get(items.size() - 1))));
    }

    /** One deployment with its steps and latest metrics; {@code project} picks one when several share the id. */
    @GetMapping("/deployments/{id}")
    Mono<DeploymentViews.Detail> get(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = Names.REGEX, message = Names.RULE) String id,
            @RequestParam(required = false) @Pattern(regexp = Names.REGEX, message = Names.RULE) String project) {
        return find(user, id, project).flatMap(deployment -> queries.steps(
                        deployment.project(), deployment.deploymentId())
                .zipWith(queries.latestMetrics(deployment.project(), deployment.deploymentId())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty()))
                .map(both -> new DeploymentViews.Detail(
                        deployment,
                        both.getT1().stream().map(DeploymentViews.Step::of).toList(),
                        both.getT2().orElse(null))));
    }

    /** Log lines in arrival order after {@code after} (a previous page's {@code next_after}). */
    @GetMapping("/deployments/{id}/logs")
    Mono<DeploymentViews.Logs> logs(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = Names.REGEX, message = Names.RULE) String id,
            @RequestParam(required = false) @Pattern(regexp = Names.REGEX, message = Names.RULE) String project,
            @RequestParam(required = false) @PositiveOrZero(message = "must not be negative") Long after,
            @RequestParam(defaultValue = "" + DEFAULT_LOG_LIMIT)
                    @Min(value = 1, message = "must be between 1 and " + MAX_LOG_LIMIT)
                    @Max(value = MAX_LOG_LIMIT, message = "must be between 1 and " + MAX_LOG_LIMIT)
                    int limit) {
        // no lines after `after`: the next call asks from the same place (0 when it was not given)
        long from = after == null ? 0 : after;
        return find(user, id, project).flatMap(deployment -> queries.logs(
                        deployment.project(), deployment.deploymentId(), from, limit)
                .map(lines -> new DeploymentViews.Logs(
                        deployment.project(),
                        deployment.deploymentId(),
                        lines.stream().map(DeploymentViews.LogLine::of).toList(),
                        lines.isEmpty() ? from : lines.get(lines.size() - 1).seq())));
    }

    @GetMapping("/projects")
    Mono<DeploymentViews.Projects> projects(@AuthenticationPrincipal DashboardPrincipal user) {
        return queries.projects(user)
                .map(projects -> new DeploymentViews.Projects(
                        projects.stream().map(DeploymentViews.Project::of).toList()));
    }

    /** Success rate, counts and p50/p95 duration over {@code window} (ISO-8601 duration, default 30 days). */
    @GetMapping("/projects/{project}/metrics")
    Mono<DeploymentViews.Metrics> metrics(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = Names.REGEX, message = Names.RULE) String project,
            @RequestParam(required = false) @QueryParameters.Window String window) {
        if (!user.mayWatchProject(project)) {
            return Mono.error(notFound("project " + project));
        }
        return queries.statistics(project, QueryParameters.window(window), clock.instant())
                .map(DeploymentViews.Metrics::of);
    }

    private Mono<DeploymentViews.Deployment> find(DashboardPrincipal user, String deploymentId, String project) {
        return queries.find(user, deploymentId, project)
                .next()
                .map(DeploymentViews.Deployment::of)
                .switchIfEmpty(Mono.error(() -> notFound("deployment " + deploymentId)));
    }

    private static ProblemException notFound(String what) {
        return new ProblemException(HttpStatus.NOT_FOUND, "No " + what + " that you may see");
    }
}
