package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Turns a payload of the deployment webhook (docs/contracts.md, "Deployments") into a {@link Notification}: {@code step_started}, {@code
 * step_completed}, {@code deployment_completed}, {@code log_entry}, {@code log_batch}, {@code metrics_update},
 * {@code test}, and the legacy payload without {@code type} (a completion). Anything wrong is a 400 listing every
 * offending field.
 */
public final class NotificationParser {

    /** Log lines in one {@code log_batch} at most. */
    public static final int MAX_BATCH_LINES = 1_000;

    static final Set<String> TYPES = Set.of(
            "step_started",
            "step_completed",
            "deployment_completed",
            "log_entry",
            "log_batch",
            "metrics_update",
            "test");

    private static final Map<String, String> LEVELS = Map.of(
            "trace", "debug",
            "debug", "debug",
            "info", "info",
            "notice", "info",
            "warn", "warn",
            "warning", "warn",
            "error", "error",
            "fatal", "error");

    private final Clock clock;

    public NotificationParser(Clock clock) {
        this.clock = clock;
    }

    /**
     * @param sha256 the payload's SHA-256, which names a legacy completion that has no deployment id
     * @throws ProblemException 400 with the offending fields
     */
    public Notification parse(JsonNode payload, byte[] sha256) {
        if (payload == null || !payload.isObject()) {
            throw ProblemException.invalid(
                    "The payload must be a JSON object", List.of(new FieldViolation("", "must be a JSON object")));
        }
        Fields fields = Fields.of(payload);
        JsonNode typeNode = fields.raw("type");
        Notification notification;
        if (typeNode == null) {
            notification = legacy(fields, sha256);
        } else if (!typeNode.isString() || !TYPES.contains(typeNode.asString())) {
            fields.reject(
                    "type",
                    "must be one of "
                            + String.join(", ", TYPES.stream().sorted().toList()));
            notification = null;
        } else {
            notification = switch (typeNode.asString()) {
                case "step_started" -> step(fields, true);
                case "step_completed" -> step(fields, false);
                case "deployment_completed" -> completed(fields);
                case "log_entry" -> logEntry(fields);
                case "log_batch" -> logBatch(fields);
                case "metrics_update" -> metrics(fields);
                default -> new Notification.Test(fields.identifier("project", false));
            };
        }
        if (!fields.violations().isEmpty()) {
            throw ProblemException.invalid(
                    "The notification has missing or invalid fields; nothing was stored", fields.violations());
        }
        return notification;
    }

    private Notification step(Fields fields, boolean started) {
        String project = fields.identifier("project", true);
        String deploymentId = fields.identifier("deployment_id", true);
        String stepName = fields.requiredText("step_name", 512);
        String statusText = fields.text("step_status", 32);
        StepStatus status = started ? StepStatus.STARTED : StepStatus.COMPLETED;
        if (statusText != null) {
            status = StepStatus.of(statusText).orElse(null);
            if (status == null) {
                fields.reject("step_status", "must be one of started, running, completed, failed, retrying");
            }
        }
        return new Notification.Step(
                project,
                deploymentId,
                stepName,
                status,
                timestamp(fields),
                fields.text("workflow_name", 255),
                workflowId(fields),
                fields.text("logs", Fields.MAX_TEXT),
                fields.seconds("duration"),
                started);
    }

    private Notification completed(Fields fields) {
        return completion(fields, fields.identifier("project", true), fields.identifier("deployment_id", true));
    }

    private Notification completion(Fields fields, String project, String deploymentId) {
        DeploymentStatus status = finalStatus(fields);
        return new Notification.Completed(
                project,
                deploymentId,
                status,
                fields.seconds("duration"),
                timestamp(fields),
                fields.text("workflow_name", 255),
                workflowId(fields),
                fields.text("logs", Fields.MAX_TEXT),
                fields.instant("started_at"),
                fields.instant("completed_at"),
                null);
    }

    /**
     * The legacy format: {@code {project, status, duration, timestamp}} and no type, treated as a completion.
     * It names no deployment, so one is derived from the payload's hash: a redelivery lands on the same one.
     */
    private Notification legacy(Fields fields, byte[] sha256) {
        String project = fields.identifier("project", true);
        String deploymentId = fields.identifier("deployment_id", false);
        if (deploymentId == null && fields.raw("deployment_id") == null) {
            deploymentId = "legacy-" + HexFormat.of().formatHex(sha256, 0, 8);
        }
        return completion(fields, project, deploymentId);
    }

    private DeploymentStatus finalStatus(Fields fields) {
        String text = fields.requiredText("status", 32);
        if (text == null) {
            return null;
        }
        DeploymentStatus status = DeploymentStatus.of(text).orElse(null);
        if (status == null || status == DeploymentStatus.RUNNING) {
            fields.reject("status", "must be one of success, failed (failure), cancelled, skipped");
            return null;
        }
        return status;
    }

    private Notification logEntry(Fields fields) {
        String project = fields.identifier("project", true);
        String deploymentId = fields.identifier("deployment_id", true);
        Notification.LogLine line = line(fields, null);
        return new Notification.Logs(project, deploymentId, line == null ? List.of() : List.of(line), false);
    }

    private Notification logBatch(Fields fields) {
        String project = fields.identifier("project", true);
        String deploymentId = fields.identifier("deployment_id", true);
        JsonNode logs = fields.raw("logs");
        List<Notification.LogLine> lines = new ArrayList<>();
        if (logs == null) {
            fields.reject("logs", "is required");
        } else if (!logs.isArray() || logs.isEmpty()) {
            fields.reject("logs", "must be a non-empty array of {level, message, timestamp}");
        } else if (logs.size() > MAX_BATCH_LINES) {
            fields.reject("logs", "must hold at most " + MAX_BATCH_LINES + " lines");
        } else {
            String streamId = fields.text("log_stream_id", 255);
            for (int i = 0; i < logs.size(); i++) {
                JsonNode entry = logs.get(i);
                if (!entry.isObject()) {
                    fields.reject("logs[" + i + "]", "must be an object");
                    continue;
                }
                Notification.LogLine line = line(fields.nested(entry, "logs[" + i + "]."), streamId);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        return new Notification.Logs(project, deploymentId, lines, true);
    }

    private Notification.LogLine line(Fields fields, String defaultStreamId) {
        String message = fields.requiredText("message", Fields.MAX_TEXT);
        String level = "info";
        String levelText = fields.text("level", 16);
        if (levelText != null) {
            level = LEVELS.get(levelText.toLowerCase(Locale.ROOT));
            if (level == null) {
                fields.reject("level", "must be one of debug, info, warn, error");
            }
        }
        String streamId = fields.text("log_stream_id", 255);
        // every field is read, so that a refusal names all that are wrong
        Instant timestamp = lineTimestamp(fields);
        String source = fields.text("source", 255);
        return message == null || level == null
                ? null
                : new Notification.LogLine(
                        streamId == null ? defaultStreamId : streamId, timestamp, level, message, source);
    }

    private Notification metrics(Fields fields) {
        String project = fields.identifier("project", true);
        String deploymentId = fields.identifier("deployment_id", true);
        JsonNode metrics = fields.raw("metrics");
        if (metrics == null) {
            fields.reject("metrics", "is required");
        } else if (!metrics.isObject()) {
            fields.reject("metrics", "must be an object");
        } else {
            Fields inner = fields.nested(metrics, "metrics.");
            inner.seconds("total_duration");
            inner.instant("start_time");
            inner.instant("end_time");
            inner.wholeNumber("steps_count");
            inner.wholeNumber("successful_steps");
            inner.wholeNumber("failed_steps");
        }
        return new Notification.Metrics(project, deploymentId, timestamp(fields), metrics);
    }

    private String workflowId(Fields fields) {
        return fields.textOrInteger("workflow_id", 128);
    }

    /** A log line's time; a placeholder or malformed one is the arrival time (the line is kept). */
    private Instant lineTimestamp(Fields fields) {
        Instant timestamp = fields.instantOrUnknown("timestamp");
        return timestamp != null ? timestamp : clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private Instant timestamp(Fields fields) {
        Instant timestamp = fields.instant("timestamp");
        return timestamp != null ? timestamp : clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
