package dev.projectdashboard.e2e.client;

import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * GitHub delivering repository webhooks to {@code /project-dashboard/api/webhooks/github}: {@code workflow_run} and
 * {@code workflow_job} payloads with the fields GitHub sends (the ones deploy-notifier reads and a few it does not),
 * signed {@code X-Hub-Signature-256} with the webhook secret, each with its own {@code X-GitHub-Delivery}.
 */
public final class GithubWebhooks {

    private final Gateway gateway;
    private final String secret;

    /** How long the simulated run takes, {@code run_started_at} to the completed run's {@code updated_at}. */
    public static final long RUN_SECONDS = 119;

    private final Instant started;

    /** GitHub's times are whole seconds; the run started two minutes ago and completes now. */
    public GithubWebhooks(Gateway gateway, String secret) {
        this.gateway = gateway;
        this.secret = secret;
        this.started = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(RUN_SECONDS);
    }

    private String at(long seconds) {
        return started.plusSeconds(seconds).toString();
    }

    /** {@code workflow_run} with {@code status} (and, once completed, {@code conclusion}). */
    public Gateway.Answer workflowRun(String repository, long runId, String status, String conclusion) {
        ObjectNode payload = Json.object().put("action", "completed".equals(status) ? "completed" : status);
        payload.putObject("workflow_run")
                .put("id", runId)
                .put("name", "deploy-project")
                .put("head_branch", "main")
                .put("run_number", 128)
                .put("event", "push")
                .put("status", status)
                .put("conclusion", conclusion)
                .put("workflow_id", 71234567)
                .put("html_url", "https://github.com/e2e/" + repository + "/actions/runs/" + runId)
                .put("created_at", at(0))
                .put("run_started_at", at(0))
                .put("updated_at", "completed".equals(status) ? at(RUN_SECONDS) : at(0))
                .put("run_attempt", 1);
        repository(payload, repository);
        return deliver("workflow_run", payload);
    }

    /** {@code workflow_job}: in progress, or completed with its steps (all successful). */
    public Gateway.Answer workflowJob(String repository, long runId, String job, String status, List<String> steps) {
        ObjectNode payload = Json.object().put("action", status);
        ObjectNode workflowJob = payload.putObject("workflow_job")
                .put("id", runId + 1)
                .put("run_id", runId)
                .put("workflow_name", "deploy-project")
                .put("name", job)
                .put("status", status)
                .put("conclusion", "completed".equals(status) ? "success" : null)
                .put("started_at", at(8))
                .put("completed_at", "completed".equals(status) ? at(108) : null)
                .put("runner_name", "GitHub Actions 2");
        ArrayNode listed = workflowJob.putArray("steps");
        for (int i = 0; i < steps.size(); i++) {
            listed.addObject()
                    .put("name", steps.get(i))
                    .put("status", status)
                    .put("conclusion", "completed".equals(status) ? "success" : null)
                    .put("number", i + 1)
                    .put("started_at", at(10 + 40 * i))
                    .put("completed_at", at(50 + 40 * i));
        }
        repository(payload, repository);
        return deliver("workflow_job", payload);
    }

    /** Posts a payload as GitHub does; {@code signature} null signs it with the configured secret. */
    public Gateway.Answer deliver(String event, JsonNode payload, String signature) {
        byte[] body = Json.bytes(payload);
        return gateway.send(gateway.request("/api/webhooks/github")
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/e2e")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                .header("X-Hub-Signature-256", signature != null ? signature : Hmac.signature(secret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    private Gateway.Answer deliver(String event, JsonNode payload) {
        return deliver(event, payload, null);
    }

    private static void repository(ObjectNode payload, String repository) {
        payload.putObject("repository")
                .put("id", 712345678)
                .put("name", repository)
                .put("full_name", "e2e/" + repository)
                .put("private", false);
        payload.putObject("sender").put("login", "e2e-bot").put("type", "User");
    }
}
