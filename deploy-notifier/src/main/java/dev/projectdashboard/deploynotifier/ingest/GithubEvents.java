package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.deploynotifier.deployment.DeploymentStatus;
import dev.projectdashboard.deploynotifier.deployment.Durations;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.StepStatus;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Maps native GitHub webhooks onto the deployment model: a workflow run is a deployment (its run id the deployment
 * id, the repository name the project), a job is a step, and the steps GitHub lists in a completed job become steps
 * named {@code job / step}. {@code deployment_status} events complete the run that created them (or, without one, the
 * GitHub deployment). Other events are acknowledged and ignored, with the reason.
 *
 * <p>Ids, times and JSON types are checked like the deployment webhook's fields: a payload that is not what GitHub sends is a 400
 * naming every offending field. Free texts people write (workflow, job and step names) are kept instead: a NUL is
 * removed and a text too long for its column is cut, and {@link Mapped#sanitized()} says so.
 */
public final class GithubEvents {

    /** What a GitHub webhook becomes: notifications to store, or the reason it is ignored. */
    public record Mapped(
            List<Notification> notifications, String ignoredReason, String project, List<FieldViolation> sanitized) {

        static Mapped of(List<Notification> notifications, String project) {
            return new Mapped(notifications, null, project, List.of());
        }

        static Mapped ignored(String reason) {
            return new Mapped(List.of(), reason, null, List.of());
        }

        public boolean ignored() {
            return ignoredReason != null;
        }
    }

    public static final String PING = "ping";

    /** Column widths the names are cut to: {@code workflow_name}, {@code step_name}. */
    private static final int NAME = 255;

    private static final int STEP_NAME = 512;

    private static final int LINK = 1024;

    private static final String SEPARATOR = " / ";

    private GithubEvents() {}

    /**
     * @param event the {@code X-GitHub-Event} header
     * @param maxSteps the most steps a {@code workflow_job} may list
     * @param receivedAt when the webhook arrived: the time of whatever GitHub sent without one
     * @throws ProblemException 400 naming the offending fields when a handled event is not what GitHub sends
     */
    public static Mapped map(String event, JsonNode payload, int maxSteps, Instant receivedAt) {
        if (event == null || event.isBlank()) {
            throw ProblemException.invalid(
                    "Unusable GitHub webhook: the X-GitHub-Event header is missing",
                    List.of(new FieldViolation("X-GitHub-Event", "is required")));
        }
        if (payload == null || !payload.isObject()) {
            throw ProblemException.invalid(
                    "Unusable GitHub webhook: the payload must be a JSON object",
                    List.of(new FieldViolation("", "must be a JSON object")));
        }
        Fields fields = Fields.of(payload);
        Mapped mapped =
                switch (event) {
                    case PING -> Mapped.of(List.of(), null);
                    case "workflow_run" -> workflowRun(fields, receivedAt);
                    case "workflow_job" -> workflowJob(fields, maxSteps, receivedAt);
                    case "deployment_status" -> deploymentStatus(fields, receivedAt);
                    default ->
                        Mapped.ignored("event '" + event + "' is not handled (workflow_run, workflow_job, "
                                + "deployment_status and ping are)");
                };
        if (!fields.violations().isEmpty()) {
            throw ProblemException.invalid(
                    "Unusable GitHub " + event + " webhook: missing or invalid fields; nothing was stored",
                    fields.violations());
        }
        return new Mapped(
                mapped.notifications(), mapped.ignoredReason(), mapped.project(), List.copyOf(fields.sanitized()));
    }

    private static Mapped workflowRun(Fields payload, Instant receivedAt) {
        String project = project(payload);
        Fields run = payload.object("workflow_run", true);
        if (run == null) {
            return Mapped.of(List.of(), project);
        }
        String runId = run.identifier("id", true);
        String workflowName = run.cleanText("name", NAME);
        String workflowId = run.textOrInteger("workflow_id", 128);
        Instant startedAt = run.instant("run_started_at");
        Instant completedAt = run.instant("updated_at");
        String htmlUrl = run.link("html_url", LINK);
        String status = run.cleanText("status", 64);
        String conclusion = run.cleanText("conclusion", 64);
        Long attempt = run.wholeNumber("run_attempt");
        if (!"completed".equals(status)) {
            return Mapped.of(
                    List.of(new Notification.RunStarted(project, runId, workflowName, workflowId, startedAt, htmlUrl)),
                    project);
        }
        DeploymentStatus outcome = DeploymentStatus.of(conclusion).orElse(DeploymentStatus.FAILED);
        if (outcome == DeploymentStatus.RUNNING) {
            outcome = DeploymentStatus.FAILED; // action_required, stale: it did not succeed
        }
        return Mapped.of(
                List.of(new Notification.Completed(
                        project,
                        runId,
                        outcome,
                        Durations.between(startedAt, completedAt),
                        completedAt != null ? completedAt : receivedAt,
                        workflowName,
                        workflowId,
                        "workflow run " + conclusion + " (attempt " + (attempt == null ? 1 : attempt) + ")",
                        startedAt,
                        completedAt,
                        htmlUrl)),
                project);
    }

    private static Mapped workflowJob(Fields payload, int maxSteps, Instant receivedAt) {
        String project = project(payload);
        Fields job = payload.object("workflow_job", true);
        if (job == null) {
            return Mapped.of(List.of(), project);
        }
        String runId = job.identifier("run_id", true);
        String jobName = job.cleanText("name", NAME);
        if (jobName == null && job.raw("name") == null) {
            job.reject("name", "is required");
        }
        String workflowName = job.cleanText("workflow_name", NAME);
        String status = job.cleanText("status", 64);
        String conclusion = job.cleanText("conclusion", 64);
        String runner = job.cleanText("runner_name", NAME);
        Instant startedAt = job.instant("started_at");
        Instant completedAt = job.instant("completed_at");
        List<Notification> steps = steps(job, project, runId, jobName, workflowName, maxSteps, receivedAt);
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
                    startedAt != null ? startedAt : receivedAt,
                    workflowName,
                    null,
                    "job started on " + (runner == null ? "a runner" : runner),
                    BigDecimal.ZERO,
                    true));
            return Mapped.of(notifications, project);
        }
        // the job's own steps, in their order, then the job as a whole
        notifications.addAll(steps);
        notifications.add(new Notification.Step(
                project,
                runId,
                jobName,
                failed(conclusion) ? StepStatus.FAILED : StepStatus.COMPLETED,
                completedAt != null ? completedAt : receivedAt,
                workflowName,
                null,
                "job " + conclusion,
                Durations.between(startedAt, completedAt),
                false));
        return Mapped.of(notifications, project);
    }

    /** The completed steps a job lists, by their {@code number}; each is checked whether or not the job completed. */
    private static List<Notification> steps(
            Fields job,
            String project,
            String runId,
            String jobName,
            String workflowName,
            int maxSteps,
            Instant receivedAt) {
        JsonNode list = job.raw("steps");
        if (list == null) {
            return List.of();
        }
        if (!list.isArray()) {
            job.reject("steps", "must be an array");
            return List.of();
        }
        if (list.size() > maxSteps) {
            // each step is a row and an event: a bound keeps the answer within GitHub's 10 s
            job.reject("steps", "must list at most " + maxSteps + " steps (dashboard.deploy.max-job-steps)");
            return List.of();
        }
        record Numbered(long number, Notification.Step step) {}
        List<Numbered> steps = new ArrayList<>();
        int nameRoom = STEP_NAME - SEPARATOR.length() - (jobName == null ? 0 : jobName.length());
        for (int i = 0; i < list.size(); i++) {
            if (!list.get(i).isObject()) {
                job.reject("steps[" + i + "]", "must be an object");
                continue;
            }
            Fields step = job.nested(list.get(i), "steps[" + i + "].");
            String name = step.cleanText("name", nameRoom);
            String status = step.cleanText("status", 64);
            String stepConclusion = step.cleanText("conclusion", 64);
            Long number = step.wholeNumber("number");
            Instant stepStart = step.instant("started_at");
            Instant stepEnd = step.instant("completed_at");
            if (name == null || !"completed".equals(status)) {
                continue;
            }
            steps.add(new Numbered(
                    number == null ? Long.MAX_VALUE : number,
                    new Notification.Step(
                            project,
                            runId,
                            jobName + SEPARATOR + name,
                            failed(stepConclusion) ? StepStatus.FAILED : StepStatus.COMPLETED,
                            stepEnd != null ? stepEnd : receivedAt,
                            workflowName,
                            null,
                            stepConclusion,
                            Durations.between(stepStart, stepEnd),
                            false)));
        }
        // stable: steps without a number keep their place among themselves, after the numbered ones
        steps.sort(Comparator.comparingLong(Numbered::number));
        return steps.stream().<Notification>map(Numbered::step).toList();
    }

    private static Mapped deploymentStatus(Fields payload, Instant receivedAt) {
        String project = project(payload);
        Fields status = payload.object("deployment_status", true);
        Fields deployment = payload.object("deployment", true);
        // created by a workflow run: it belongs to that run's deployment record
        Fields run = payload.object("workflow_run", false);
        String runId = run == null ? null : run.identifier("id", false);
        String githubDeploymentId = deployment == null ? null : deployment.identifier("id", runId == null);
        if (status == null || deployment == null) {
            return Mapped.of(List.of(), project);
        }
        String deploymentId = runId != null ? runId : githubDeploymentId;
        String state = status.cleanText("state", 64);
        if (state == null && status.raw("state") == null) {
            status.reject("state", "is required");
        }
        String environment = deployment.cleanText("environment", NAME);
        Instant at = status.instant("created_at");
        if (at == null) {
            at = receivedAt;
        }
        String workflowName = run == null ? null : run.cleanText("name", NAME);
        String workflowId = run == null ? null : run.textOrInteger("workflow_id", 128);
        String logUrl = status.link("log_url", LINK);
        Instant startedAt = run != null ? run.instant("run_started_at") : deployment.instant("created_at");
        if (state == null) {
            return Mapped.of(List.of(), project);
        }
        switch (state) {
            case "success", "failure", "error" -> {
                DeploymentStatus outcome = "success".equals(state) ? DeploymentStatus.SUCCESS : DeploymentStatus.FAILED;
                return Mapped.of(
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
                        project);
            }
            case "inactive" -> {
                return Mapped.ignored("deployment status 'inactive' (superseded by a newer deployment)");
            }
            default -> {
                return Mapped.of(
                        List.of(new Notification.RunStarted(
                                project, deploymentId, workflowName, workflowId, at, logUrl)),
                        project);
            }
        }
    }

    private static boolean failed(String conclusion) {
        return DeploymentStatus.of(conclusion)
                .map(s -> s == DeploymentStatus.FAILED || s == DeploymentStatus.CANCELLED)
                .orElse(false);
    }

    /** The repository's name, which must fit the channel alphabet like any project name: never cleaned into another. */
    private static String project(Fields payload) {
        Fields repository = payload.object("repository", true);
        return repository == null ? null : repository.identifier("name", true);
    }
}
