package dev.projectdashboard.deploynotifier.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** JSON bodies of the query API (snake_case on the wire). Durations are seconds, fractional where they were sent so. */
public final class DeploymentViews {

    private DeploymentViews() {}

    public record Deployment(
            String project,
            String deploymentId,
            String workflowName,
            String workflowId,
            String status,
            Instant startedAt,
            Instant completedAt,
            BigDecimal duration,
            String logs,
            String htmlUrl,
            Instant updatedAt) {}

    public record Page(List<Deployment> items, String nextBefore) {}

    public record Step(
            String stepName, String status, Instant startedAt, Instant completedAt, BigDecimal duration, String logs) {}

    /** A deployment's fields, then its steps (in order of first appearance) and latest metrics snapshot. */
    public record Detail(@JsonUnwrapped Deployment deployment, List<Step> steps, JsonNode metrics) {}

    public record LogLine(
            long seq, Instant timestamp, String level, String message, String source, String logStreamId) {}

    public record Logs(String project, String deploymentId, List<LogLine> items, Long nextAfter) {}

    public record Project(
            String project, long deployments, Instant lastDeploymentAt, String lastStatus, String lastDeploymentId) {}

    public record Projects(List<Project> items) {}

    /**
     * Outcomes over a window: {@code success_rate} is succeeded / (succeeded + failed + cancelled); skipped runs and
     * runs still going count in {@code count} only. Durations are of finished runs, in seconds.
     */
    public record Metrics(
            String project,
            String window,
            Instant since,
            long count,
            long succeeded,
            long failed,
            long cancelled,
            long skipped,
            long running,
            Double successRate,
            Double p50Duration,
            Double p95Duration) {}

    /**
     * What a webhook answers with 202; for a repeated delivery, what the first one stored. {@code sanitized} lists the
     * texts of a GitHub webhook that were stored changed (a NUL removed, a name cut to its column), and is left out
     * when there are none.
     */
    public record Accepted(
            String id,
            String type,
            String project,
            String deploymentId,
            boolean duplicate,
            int events,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldViolation> sanitized) {}

    /** A GitHub webhook that was acknowledged without storing anything. */
    public record Ignored(String event, boolean ignored, String reason) {}
}
