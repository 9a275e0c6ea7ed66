package dev.projectdashboard.deploynotifier.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.StreamSupport;
import tools.jackson.databind.JsonNode;

/**
 * Maps native GitHub webhooks onto the deployment model: a workflow run is a deployment (its run id the deployment
 * id, the repository name the project), a job is a step, and the steps GitHub lists in a completed job become steps
 * named {@code job / step}. {@code deployment_status} events complete the run that created them (or, without one, the
 * GitHub deployment). Other events are acknowledged and ignored, with the reason.
 */
public final class GithubEvents {

    /** What a GitHub webhook becomes: notifications to store, or the reason it is ignored. */
    public record Mapped(List<Notification> notifications, String ignoredReason, String project) {

        static Mapped ignored(String reason) {
            return new Mapped(List.of(), reason, null);
        }

        public boolean ignored() {
            return ignoredReason != null;
        }
    }

    public static final String PING = "ping";

    private GithubEvents() {}

    /**
     * @param event the {@code X-GitHub-Event} header
     * @throws IllegalArgumentException when a handled event lacks what the mapping needs (a 400)
     */
    public static Mapped map(String event, JsonNode payload) {
        if (event == null || event.isBlank()) {
            throw new IllegalArgumentException("the X-GitHub-Event header is missing");
        }
        if (payload == null || !payload.isObject()) {
            throw new IllegalArgumentException("the payload must be a JSON object");
        }
        return switch (event) {
            case PING -> new Mapped(List.of(), null, null);
            case "workflow_run" -> workflowRun(payload);
            case "workflow_job" -> workflowJob(payload);
            case "deployment_status" -> deploymentStatus(payload);
            default ->
                Mapped.ignored("event '" + event + "' is not handled (workflow_run, workflow_job, "
                        + "deployment_status and ping are)");
        };
    }

    private static Mapped workflowRun(JsonNode payload) {
        JsonNode run = object(payload, "workflow_run");
        String project = project(payload);
        String runId = id(run, "id", "workflow_run.id");
        String workflowName = text(run, "name");
        String workflowId = run.path("workflow_id").isMissingNode()
                ? null
                : run.path("workflow_id").asString();
        Instant startedAt = instant(run, "run_started_at");
        String htmlUrl = text(run, "html_url");
        String status = text(run, "status");
        if (!"completed".equals(status)) {
            return new Mapped(
                    List.of(new Notification.RunStarted(project, runId, workflowName, workflowId, startedAt, htmlUrl)),
                    null,
                    project);
        }
        String conclusion = text(run, "conclusion");
        DeploymentStatus outcome = DeploymentStatus.of(conclusion).orElse(DeploymentStatus.FAILED);
        if (outcome == DeploymentStatus.RUNNING) {
            outcome = DeploymentStatus.FAILED; // action_required, stale: it did not succeed
        }
        Instant completedAt = instant(run, "updated_at");
        return new Mapped(
                List.of(new Notification.Completed(
                        project,
                        runId,
                        outcome,
                        Durations.between(startedAt, completedAt),
                        completedAt != null ? completedAt : Instant.now(),
                        workflowName,
                        workflowId,
                        "workflow run " + conclusion + " (attempt "
                                + run.path("run_attempt").asInt(1) + ")",
                        startedAt,
                        completedAt,
                        htmlUrl)),
                null,
                project);
    }

    private static Mapped workflowJob(JsonNode payload) {
        JsonNode job = object(payload, "workflow_job");
        String project = project(payload);
        String runId = id(job, "run_id", "workflow_job.run_id");
        String jobName = required(job, "name", "workflow_job.name");
        String workflowName = text(job, "workflow_name");
        String status = text(job, "status");
        Instant startedAt = instant(job, "started_at");
        if ("queued".equals(status) || "waiting".equals(status)) {
            return Mapped.ignored("job '" + jobName + "' is " + status + "; it becomes a step when it starts");
        }
        List<Notification> notifications = new ArrayList<>();
        if (!"completed".equals(status)) {
            notifications.add(new Notification.Step(
                    project,
                    runId,
                    jobName,
                    StepStatus.STARTED,
                    startedAt != null ? startedAt : Instant.now(),
                    workflowName,
                    null,
                    "job started on " + job.path("runner_name").asString("a runner"),
                    BigDecimal.ZERO,
                    true));
            return new Mapped(notifications, null, project);
        }
        Instant completedAt = instant(job, "completed_at");
        String conclusion = text(job, "conclusion");
        // the job's own steps, in their order, then the job as a whole
        List<JsonNode> steps = job.path("steps").isArray()
                ? StreamSupport.stream(job.path("steps").spliterator(), false)
                        .sorted(Comparator.comparingInt(
                                step -> step.path("number").asInt()))
                        .toList()
                : List.of();
        for (JsonNode step : steps) {
            String name = text(step, "name");
            if (name == null || !"completed".equals(text(step, "status"))) {
                continue;
            }
            String stepConclusion = text(step, "conclusion");
            Instant stepStart = instant(step, "started_at");
            Instant stepEnd = instant(step, "completed_at");
            notifications.add(new Notification.Step(
                    project,
                    runId,
                    jobName + " / " + name,
                    failed(stepConclusion) ? StepStatus.FAILED : StepStatus.COMPLETED,
                    stepEnd != null ? stepEnd : Instant.now(),
                    workflowName,
                    null,
                    stepConclusion,
                    Durations.between(stepStart, stepEnd),
                    false));
        }
        notifications.add(new Notification.Step(
                project,
                runId,
                jobName,
                failed(conclusion) ? StepStatus.FAILED : StepStatus.COMPLETED,
                completedAt != null ? completedAt : Instant.now(),
                workflowName,
                null,
                "job " + conclusion,
                Durations.between(startedAt, completedAt),
                false));
        return new Mapped(notifications, null, project);
    }

    private static Mapped deploymentStatus(JsonNode payload) {
        JsonNode status = object(payload, "deployment_status");
        JsonNode deployment = object(payload, "deployment");
        String project = project(payload);
        // created by a workflow run: it belongs to that run's deployment record
        JsonNode run = payload.path("workflow_run");
        String deploymentId = run.isObject() && run.has("id")
                ? id(run, "id", "workflow_run.id")
                : id(deployment, "id", "deployment.id");
        String state = required(status, "state", "deployment_status.state");
        String environment = text(deployment, "environment");
        Instant at = instant(status, "created_at");
        if (at == null) {
            at = Instant.now();
        }
        String workflowName = run.isObject() ? text(run, "name") : null;
        String workflowId = run.isObject() && run.has("workflow_id")
                ? run.path("workflow_id").asString()
                : null;
        String logUrl = text(status, "log_url");
        switch (state) {
            case "success", "failure", "error" -> {
                DeploymentStatus outcome = "success".equals(state) ? DeploymentStatus.SUCCESS : DeploymentStatus.FAILED;
                Instant startedAt = run.isObject() ? instant(run, "run_started_at") : instant(deployment, "created_at");
                return new Mapped(
                        List.of(new Notification.Completed(
                                project,
                                deploymentId,
                                outcome,
                                Durations.between(startedAt, at),
                                at,
                                workflowName,
                                workflowId,
                                "deployment to " + (environment == null ? "its environment" : environment) + ": "
                                        + state,
                                startedAt,
                                at,
                                logUrl)),
                        null,
                        project);
            }
            case "inactive" -> {
                return Mapped.ignored("deployment status 'inactive' (superseded by a newer deployment)");
            }
            default -> {
                return new Mapped(
                        List.of(new Notification.RunStarted(
                                project, deploymentId, workflowName, workflowId, at, logUrl)),
                        null,
                        project);
            }
        }
    }

    private static boolean failed(String conclusion) {
        return DeploymentStatus.of(conclusion)
                .map(s -> s == DeploymentStatus.FAILED || s == DeploymentStatus.CANCELLED)
                .orElse(false);
    }

    /** The repository's name, which must fit the channel alphabet like any project name. */
    static String project(JsonNode payload) {
        String name = required(object(payload, "repository"), "name", "repository.name");
        if (!Fields.IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("repository.name '" + name + "' is not a usable project name");
        }
        return name;
    }

    private static JsonNode object(JsonNode parent, String field) {
        JsonNode value = parent.path(field);
        if (!value.isObject()) {
            throw new IllegalArgumentException("'" + field + "' is missing");
        }
        return value;
    }

    private static String id(JsonNode node, String field, String path) {
        JsonNode value = node.path(field);
        if (!value.isIntegralNumber()
                && !(value.isString()
                        && Fields.IDENTIFIER.matcher(value.asString()).matches())) {
            throw new IllegalArgumentException("'" + path + "' is missing or not an id");
        }
        return value.asString();
    }

    private static String required(JsonNode node, String field, String path) {
        String text = text(node, field);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("'" + path + "' is missing");
        }
        return text;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isString() ? value.asString() : null;
    }

    private static Instant instant(JsonNode node, String field) {
        String text = text(node, field);
        if (text == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' is not a date-time: " + text);
        }
    }
}
