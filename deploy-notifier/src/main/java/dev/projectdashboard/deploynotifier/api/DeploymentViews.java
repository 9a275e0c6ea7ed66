package dev.projectdashboard.deploynotifier.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.projectdashboard.deploynotifier.deployment.LogEntry;
import dev.projectdashboard.deploynotifier.deployment.ProjectStatistics;
import dev.projectdashboard.deploynotifier.deployment.ProjectSummary;
import dev.projectdashboard.deploynotifier.ingest.Receipt;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * JSON bodies of the webhooks' answers and of the query API (snake_case on the wire), made from the domain's records.
 * Durations are seconds, fractional where they were sent so; statuses are their words ({@code success}).
 */
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
            Instant updatedAt) {

        static Deployment of(dev.projectdashboard.deploynotifier.deployment.Deployment deployment) {
            return new Deployment(
                    deployment.project(),
                    deployment.deploymentId(),
                    deployment.workflowName(),
                    deployment.workflowId(),
                    deployment.status().word(),
                    deployment.startedAt(),
                    deployment.completedAt(),
                    deployment.duration(),
                    deployment.logs(),
                    deployment.htmlUrl(),
                    deployment.updatedAt());
        }
    }

    public record Page(List<Deployment> items, String nextBefore) {}

    public record Step(
            String stepName, String status, Instant startedAt, Instant completedAt, BigDecimal duration, String logs) {

        static Step of(dev.projectdashboard.deploynotifier.deployment.Step step) {
            return new Step(
                    step.stepName(),
                    step.status().word(),
                    step.startedAt(),
                    step.completedAt(),
                    step.duration(),
                    step.logs());
        }
    }

    /** A deployment's fields, then its steps (in order of first appearance) and latest metrics snapshot. */
    public record Detail(@JsonUnwrapped Deployment deployment, List<Step> steps, JsonNode metrics) {}

    public record LogLine(
            long seq, Instant timestamp, String level, String message, String source, String logStreamId) {

        static LogLine of(LogEntry entry) {
            return new LogLine(
                    entry.seq(),
                    entry.timestamp(),
                    entry.level(),
                    entry.message(),
                    entry.source(),
                    entry.logStreamId());
        }
    }

    public record Logs(String project, String deploymentId, List<LogLine> items, Long nextAfter) {}

    public record Project(
            String project, long deployments, Instant lastDeploymentAt, String lastStatus, String lastDeploymentId) {

        static Project of(ProjectSummary summary) {
            return new Project(
                    summary.project(),
                    summary.deployments(),
                    summary.lastDeploymentAt(),
                    summary.lastStatus().word(),
                    summary.lastDeploymentId());
        }
    }

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
            Double p95Duration) {

        static Metrics of(ProjectStatistics statistics) {
            return new Metrics(
                    statistics.project(),
                    statistics.window().toString(),
                    statistics.since(),
                    statistics.count(),
                    statistics.succeeded(),
                    statistics.failed(),
                    statistics.cancelled(),
                    statistics.skipped(),
                    statistics.running(),
                    statistics.successRate(),
                    statistics.p50Duration(),
                    statistics.p95Duration());
        }
    }

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
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<FieldViolation> sanitized) {

        static Accepted of(Receipt.Accepted receipt) {
            return new Accepted(
                    receipt.id(),
                    receipt.type(),
                    receipt.project(),
                    receipt.deploymentId(),
                    receipt.duplicate(),
                    receipt.events(),
                    receipt.sanitized());
        }
    }

    /** A GitHub webhook that was acknowledged without storing anything. */
    public record Ignored(String event, boolean ignored, String reason) {

        static Ignored of(Receipt.Ignored receipt) {
            return new Ignored(receipt.event(), receipt.ignored(), receipt.reason());
        }
    }
}
