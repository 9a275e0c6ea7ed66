package dev.projectdashboard.deploynotifier.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The repository's GitHub Action ({@code .github/actions/notify-deployment}) run with Node against this service:
 * every payload its script produces is accepted and lands where it should. The same environment variables as
 * {@code action.yml} passes.
 */
class NotifyActionScriptTests extends DeployNotifierTestSupport {

    private static final Path SCRIPT = Path.of("..", ".github", "actions", "notify-deployment", "notify.mjs");

    @TempDir
    Path runnerTemp;

    private final String admin = DevTokens.adminToken("root");

    /** Runs the script; fails unless it exits 0 (fail_on_error is on, so a refused notification is a failure). */
    private String run(Map<String, String> inputs) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("NOTIFY_URL", "http://127.0.0.1:" + port + DEPLOYMENT_HOOK);
        env.put("NOTIFY_SECRET", SECRET);
        env.put("NOTIFY_FAIL_ON_ERROR", "true");
        env.put("NOTIFY_RETRIES", "0");
        env.put("RUNNER_TEMP", runnerTemp.toString());
        inputs.forEach((name, value) -> env.put("NOTIFY_" + name, value));
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("node finished").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).doesNotContain(SECRET);
        return output;
    }

    @Test
    void everyNotificationTheActionSendsIsAcceptedAndStored() throws Exception {
        String project = unique("action");
        String deployment = unique("run");
        Map<String, String> common = Map.of(
                "PROJECT",
                project,
                "DEPLOYMENT_ID",
                deployment,
                "WORKFLOW_NAME",
                "deploy-project",
                "WORKFLOW_ID",
                "42");

        run(with(common, Map.of("TYPE", "step_started", "STEP_NAME", "构建应用", "LOGS", "开始构建应用")));
        run(with(common, Map.of("TYPE", "step_completed", "STEP_NAME", "构建应用", "DURATION", "12.5")));
        run(with(common, Map.of("TYPE", "log_entry", "LEVEL", "info", "MESSAGE", "正在上传构建产物...")));
        Path lines = runnerTemp.resolve("deploy.log");
        Files.writeString(lines, "[warn] disk almost full\nplain line\n[error] retrying upload\n");
        run(with(common, Map.of("TYPE", "log_batch", "LOG_FILE", lines.toString())));
        run(
                with(
                        common,
                        Map.of(
                                "TYPE", "metrics_update",
                                "METRICS",
                                        "{\"total_duration\":45,\"steps_count\":5,\"successful_steps\":5,\"failed_steps\":0}")));
        run(with(
                common,
                Map.of(
                        "TYPE", "deployment_completed",
                        "STATUS", "failure",
                        "STARTED_AT", "2024-01-01T12:00:15.250Z",
                        "COMPLETED_AT", "2024-01-01T12:01:00.000Z")));
        run(Map.of("TYPE", "test", "PROJECT", project));

        JsonNode detail = getJson("/api/v1/deployments/" + deployment, admin);
        assertThat(detail.path("status").asString()).isEqualTo("failed");
        // derived by the action from started_at and completed_at, to the millisecond
        assertThat(detail.path("duration").toString()).isEqualTo("44.75");
        assertThat(detail.path("steps").get(0).path("step_name").asString()).isEqualTo("构建应用");
        assertThat(detail.path("steps").get(0).path("status").asString()).isEqualTo("completed");
        assertThat(detail.path("steps").get(0).path("duration").toString()).isEqualTo("12.5");
        assertThat(detail.path("metrics").path("steps_count").asInt()).isEqualTo(5);
        JsonNode logs = getJson("/api/v1/deployments/" + deployment + "/logs", admin);
        assertThat(logs.path("items")
                        .valueStream()
                        .map(line -> line.path("level").asString() + " "
                                + line.path("message").asString()))
                .containsExactly(
                        "info 正在上传构建产物...", "warn disk almost full", "info plain line", "error retrying upload");
        assertThat(streamEvents(deployment))
                .extracting(event -> event.path("type").asString())
                .containsExactly(
                        "deployment.step_started",
                        "deployment.step_completed",
                        "deployment.log",
                        "deployment.log",
                        "deployment.log",
                        "deployment.log",
                        "deployment.metrics",
                        "deployment.completed");
        // seven notifications, each one delivery
        assertThat(deliveries(project)).isEqualTo(7);
    }

    @Test
    void aRefusedNotificationFailsTheStepOnlyWhenAskedTo() throws Exception {
        ProcessBuilder builder = new ProcessBuilder("node", SCRIPT.toString()).redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "NOTIFY_URL",
                        "http://127.0.0.1:" + port + DEPLOYMENT_HOOK,
                        "NOTIFY_SECRET",
                        "not-the-server-secret",
                        "NOTIFY_TYPE",
                        "test",
                        "NOTIFY_PROJECT",
                        unique("action"),
                        "NOTIFY_RETRIES",
                        "0",
                        "RUNNER_TEMP",
                        runnerTemp.toString()));
        Process lenient = builder.start();
        String output = new String(lenient.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(lenient.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(lenient.exitValue()).isZero();
        assertThat(output).contains("::warning::").contains("401");

        builder.environment().put("NOTIFY_FAIL_ON_ERROR", "true");
        Process strict = builder.start();
        strict.getInputStream().readAllBytes();
        assertThat(strict.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(strict.exitValue()).isEqualTo(1);
    }

    /** The action's own Node tests (payload shapes, retries, dry run, secrets kept out of the output). */
    @Test
    void theActionsNodeTestsPass() throws Exception {
        Process process = new ProcessBuilder(
                        "node", "--test", SCRIPT.getParent().toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("# fail 0");
    }

    private static Map<String, String> with(Map<String, String> common, Map<String, String> specific) {
        Map<String, String> all = new HashMap<>(common);
        all.putAll(specific);
        return all;
    }
}
