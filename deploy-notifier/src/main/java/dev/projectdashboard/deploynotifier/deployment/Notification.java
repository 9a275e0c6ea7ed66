package dev.projectdashboard.deploynotifier.deployment;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * One accepted notification, validated and normalised, whichever endpoint it came from: the deployment webhook's payloads (docs/contracts.md, "Deployments") and
 * native GitHub webhooks both end up as these.
 */
public sealed interface Notification {

    String project();

    /** {@code null} only for {@link Test}. */
    String deploymentId();

    /** The deployment webhook's {@code type} of the notification. */
    String type();

    /** {@code step_started} / {@code step_completed}. */
    record Step(
            String project,
            String deploymentId,
            String stepName,
            StepStatus status,
            Instant timestamp,
            String workflowName,
            String workflowId,
            String logs,
            BigDecimal duration,
            boolean started)
            implements Notification {
        @Override
        public String type() {
            return started ? "step_started" : "step_completed";
        }
    }

    /** {@code deployment_completed}, and the legacy payload without a type. */
    record Completed(
            String project,
            String deploymentId,
            DeploymentStatus status,
            BigDecimal duration,
            Instant timestamp,
            String workflowName,
            String workflowId,
            String logs,
            Instant startedAt,
            Instant completedAt,
            String htmlUrl)
            implements Notification {
        @Override
        public String type() {
            return "deployment_completed";
        }
    }

    /** {@code log_entry} (one line) and {@code log_batch} (several). */
    record Logs(String project, String deploymentId, List<LogLine> lines, boolean batch) implements Notification {
        @Override
        public String type() {
            return batch ? "log_batch" : "log_entry";
        }
    }

    /** One log line, fields as in the deployment webhook's {@code log_entry}. */
    record LogLine(String logStreamId, Instant timestamp, String level, String message, String source) {}

    /** {@code metrics_update}: the {@code metrics} object is kept as sent. */
    record Metrics(String project, String deploymentId, Instant timestamp, JsonNode metrics) implements Notification {
        @Override
        public String type() {
            return "metrics_update";
        }
    }

    /**
     * A run that started or is waiting (GitHub {@code workflow_run} requested / in progress, a pending {@code
     * deployment_status}): recorded as running; the contract has no event for it, so nothing is published.
     */
    record RunStarted(
            String project,
            String deploymentId,
            String workflowName,
            String workflowId,
            Instant startedAt,
            String htmlUrl)
            implements Notification {
        @Override
        public String type() {
            return "run_started";
        }
    }

    /** {@code test}: a connectivity check, acknowledged and recorded as a delivery only. */
    record Test(String project) implements Notification {
        @Override
        public String deploymentId() {
            return null;
        }

        @Override
        public String type() {
            return "test";
        }
    }
}
