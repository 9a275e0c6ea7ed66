package dev.projectdashboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.e2e.client.EventSocket;
import dev.projectdashboard.e2e.client.Gateway;
import dev.projectdashboard.e2e.client.GithubWebhooks;
import dev.projectdashboard.e2e.client.Ids;
import dev.projectdashboard.e2e.suite.EndToEnd;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow 3: GitHub posts a workflow run's webhooks, signed with the suite's webhook secret, through the gateway;
 * deploy-notifier → events:deployments → realtime → the browsers watching the project and the deployment.
 */
@EndToEnd
class GithubDeploymentEndToEndTests {

    @Test
    void aSignedWorkflowRunReachesTheProjectAndDeploymentChannels(RunningSuite suite) {
        Gateway gateway = new Gateway(suite);
        GithubWebhooks github = new GithubWebhooks(gateway, suite.webhookSecret());
        String repository = Ids.unique("e2e-repo");
        long run = Ids.runId();
        String deployment = Long.toString(run);
        String watcherToken = suite.userToken("e2e-watcher", List.of(repository), List.of());

        try (EventSocket projectWatcher = EventSocket.open(suite, watcherToken);
                EventSocket deploymentWatcher = EventSocket.open(suite, watcherToken)) {
            projectWatcher.subscribe("project:" + repository);
            deploymentWatcher.subscribe("deployment:" + deployment);

            assertThat(github.workflowRun(repository, run, "in_progress", null).status())
                    .isEqualTo(202);
            assertThat(github.workflowJob(repository, run, "deploy", "in_progress", List.of())
                            .status())
                    .isEqualTo(202);
            assertThat(github.workflowJob(repository, run, "deploy", "completed", List.of("Build", "Upload"))
                            .status())
                    .isEqualTo(202);
            assertThat(github.workflowRun(repository, run, "completed", "success")
                            .status())
                    .isEqualTo(202);

            for (EventSocket watcher : List.of(projectWatcher, deploymentWatcher)) {
                JsonNode completed = watcher.await(
                        "deployment:completed",
                        f -> deployment.equals(
                                f.path("data").path("deployment_id").asString("")));
                assertThat(completed.path("data").path("project").asString()).isEqualTo(repository);
                assertThat(completed.path("data").path("status").asString()).isEqualTo("success");
                assertThat(completed.path("data").path("duration").asLong()).isEqualTo(GithubWebhooks.RUN_SECONDS);
                assertThat(watcher.frames().stream()
                                .filter(f ->
                                        "deployment:step".equals(f.path("event").asString("")))
                                .map(f -> f.path("type").asString() + " "
                                        + f.path("data").path("step_name").asString()))
                        .as("the steps in the order GitHub reported them")
                        .containsExactly(
                                "deployment.step_started deploy",
                                "deployment.step_completed deploy / Build",
                                "deployment.step_completed deploy / Upload",
                                "deployment.step_completed deploy");
            }
        }

        Gateway.Answer stored = gateway.get("/api/v1/deployments/" + deployment, watcherToken);
        assertThat(stored.status()).as("deployment: %s", stored).isEqualTo(200);
        assertThat(stored.body().path("status").asString()).isEqualTo("success");
        assertThat(stored.body().path("steps").size()).isEqualTo(3);
    }

    @Test
    void aWorkflowRunSignedWithAnotherSecretIsRefusedAndStoresNothing(RunningSuite suite) {
        Gateway gateway = new Gateway(suite);
        String repository = Ids.unique("e2e-forged");
        long run = Ids.runId();
        GithubWebhooks forger = new GithubWebhooks(gateway, "not-the-" + suite.webhookSecret());
        String watcherToken = suite.userToken("e2e-watcher", List.of(repository), List.of());

        assertThat(forger.workflowRun(repository, run, "completed", "success").status())
                .isEqualTo(401);

        Gateway.Answer stored = gateway.get("/api/v1/deployments/" + run, watcherToken);
        assertThat(stored.status())
                .as("a refused webhook stores nothing: %s", stored)
                .isEqualTo(404);
    }
}
