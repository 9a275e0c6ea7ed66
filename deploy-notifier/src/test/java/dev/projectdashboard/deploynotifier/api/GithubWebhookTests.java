package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import dev.projectdashboard.deploynotifier.ingest.WebhookAuthenticator;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Native GitHub webhooks (fixtures shaped like GitHub's payloads) mapped onto deployments and steps. */
class GithubWebhookTests extends DeployNotifierTestSupport {

    private final String admin = DevTokens.adminToken("root");

    /** A fixture with its repository name and run id replaced, so tests sharing the database never meet. */
    private static String fixture(String name, String repository, long runId) {
        try (InputStream in = GithubWebhookTests.class.getResourceAsStream("/github/" + name + ".json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("\"axi-star-cloud\"", "\"" + repository + "\"")
                    .replace("axi-org/axi-star-cloud", "axi-org/" + repository)
                    .replace("9876543210", Long.toString(runId));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private WebTestClient.ResponseSpec deliver(String event, String body, String deliveryId) {
        return client.post()
                .uri(GITHUB_HOOK)
                .contentType(MediaType.APPLICATION_JSON)
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", deliveryId)
                .header(
                        WebhookAuthenticator.SIGNATURE_HEADER,
                        WebhookAuthenticator.signatureHeader(SECRET, bytes(body)))
                .bodyValue(bytes(body))
                .exchange();
    }

    private JsonNode accepted(String event, String body) {
        return accepted(deliver(event, body, UUID.randomUUID().toString()));
    }

    @Test
    void aWorkflowRunWithItsJobsBecomesADeploymentWithSteps() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String id = Long.toString(run);

        accepted("workflow_run", fixture("workflow_run.requested", repository, run));
        JsonNode queued = accepted("workflow_job", fixture("workflow_job.queued", repository, run));
        assertThat(queued.path("ignored").asBoolean()).isTrue();
        accepted("workflow_run", fixture("workflow_run.in_progress", repository, run));
        accepted("workflow_job", fixture("workflow_job.in_progress", repository, run));
        JsonNode running = getJson("/api/v1/deployments/" + id, admin);
        assertThat(running.path("status").asString()).isEqualTo("running");
        assertThat(running.path("project").asString()).isEqualTo(repository);
        assertThat(running.path("workflow_name").asString()).isEqualTo("deploy-project");
        assertThat(running.path("steps").get(0).path("status").asString()).isEqualTo("started");

        accepted("workflow_job", fixture("workflow_job.completed.failure", repository, run));
        JsonNode completed = accepted("workflow_run", fixture("workflow_run.completed.failure", repository, run));
        assertThat(completed.path("deployment_id").asString()).isEqualTo(id);

        JsonNode detail = getJson("/api/v1/deployments/" + id, admin);
        assertThat(detail.path("status").asString()).isEqualTo("failed");
        assertThat(detail.path("html_url").asString()).endsWith("/actions/runs/" + id);
        assertThat(detail.path("duration").asLong()).isPositive();
        JsonNode steps = detail.path("steps");
        assertThat(steps.valueStream().map(step -> step.path("step_name").asString()))
                .containsExactly(
                        "deploy",
                        "deploy / Set up job",
                        "deploy / Run actions/checkout@v4",
                        "deploy / Build application",
                        "deploy / 部署验证");
        assertThat(steps.get(0).path("status").asString()).isEqualTo("failed");
        assertThat(steps.get(3).path("status").asString()).isEqualTo("failed");
        // GitHub's times are whole seconds, so are the durations derived from them
        assertThat(steps.get(3).path("duration").toString()).isEqualTo("35");
        assertThat(steps.get(4).path("logs").asString()).isEqualTo("skipped");

        assertThat(streamEvents(id))
                .extracting(event -> event.path("type").asString())
                .containsExactly(
                        "deployment.step_started",
                        "deployment.step_completed",
                        "deployment.step_completed",
                        "deployment.step_failed",
                        "deployment.step_completed",
                        "deployment.step_failed",
                        "deployment.completed");
        assertThat(streamEvents(id).get(6).path("data").path("status").asString())
                .isEqualTo("failed");
    }

    @Test
    void aSuccessfulRunAndADeploymentStatusComplete() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        accepted("workflow_job", fixture("workflow_job.completed.success", repository, run));
        accepted("deployment_status", fixture("deployment_status.success", repository, run));

        JsonNode detail = getJson("/api/v1/deployments/" + run, admin);
        assertThat(detail.path("status").asString()).isEqualTo("success");
        assertThat(detail.path("logs").asString()).contains("production").contains("success");
        assertThat(detail.path("steps").valueStream().map(step -> step.path("status")
                        .asString()))
                .containsOnly("completed");
    }

    @Test
    void aRedeliveryKeepsItsDeliveryIdAndIsStoredOnce() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String body = fixture("workflow_run.completed.success", repository, run);
        String delivery = UUID.randomUUID().toString();

        JsonNode first = accepted(deliver("workflow_run", body, delivery));
        JsonNode again = accepted(deliver("workflow_run", body, delivery));

        assertThat(again.path("duplicate").asBoolean()).isTrue();
        assertThat(again.path("id").asString()).isEqualTo(first.path("id").asString());
        assertThat(streamEvents(Long.toString(run))).hasSize(1);
        assertThat(deliveries(repository)).isOne();
    }

    /** A completed job listing these steps (name, conclusion) in this order, numbered as given. */
    private static String jobWithSteps(String repository, long run, List<String[]> steps) {
        ObjectNode job = (ObjectNode) JSON.readTree(fixture("workflow_job.completed.success", repository, run));
        ArrayNode list = ((ObjectNode) job.path("workflow_job")).putArray("steps");
        for (String[] step : steps) {
            list.addObject()
                    .put("name", step[0])
                    .put("status", "completed")
                    .put("conclusion", step[1])
                    .put("number", Long.parseLong(step[2]))
                    .put("started_at", "2024-06-03T08:15:08Z")
                    .put("completed_at", "2024-06-03T08:15:09Z");
        }
        return JSON.writeValueAsString(job);
    }

    @Test
    void aJobWithTheMostStepsAllowedIsStoredInOrderAndOneMoreIsRefused() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        List<String[]> steps = new ArrayList<>();
        for (int number = 1; number <= 1_000; number++) {
            steps.add(new String[] {String.format("step %04d", number), "success", Integer.toString(number)});
        }
        // listed out of order: GitHub's step number decides
        Collections.shuffle(steps, new Random(42));

        JsonNode answer = accepted("workflow_job", jobWithSteps(repository, run, steps));

        assertThat(answer.path("events").asInt()).isEqualTo(1_001);
        List<String> stored = getJson("/api/v1/deployments/" + run, admin)
                .path("steps")
                .valueStream()
                .map(step -> step.path("step_name").asString())
                .toList();
        List<String> expected = new ArrayList<>();
        for (int number = 1; number <= 1_000; number++) {
            expected.add(String.format("deploy / step %04d", number));
        }
        expected.add("deploy");
        assertThat(stored).containsExactlyElementsOf(expected);
        assertThat(streamEvents(Long.toString(run)))
                .extracting(event -> event.path("data").path("step_name").asString())
                .containsExactlyElementsOf(expected);

        String tooMany = unique("repo");
        steps.add(new String[] {"step 1001", "success", "1001"});
        JsonNode refused = problem(
                deliver(
                        "workflow_job",
                        jobWithSteps(tooMany, run + 1, steps),
                        UUID.randomUUID().toString()),
                HttpStatus.BAD_REQUEST);
        assertThat(refused.path("errors").get(0).path("field").asString()).isEqualTo("workflow_job.steps");
        assertThat(refused.path("errors").get(0).path("message").asString()).contains("1000");
        assertThat(deliveries(tooMany)).isZero();
    }

    @Test
    void aJobListingTwoStepsOfOneNameKeepsTheFirstPlaceAndTheLaterOutcome() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        accepted(
                "workflow_job",
                jobWithSteps(
                        repository,
                        run,
                        List.of(
                                new String[] {"Run echo", "success", "1"},
                                new String[] {"Build", "success", "2"},
                                new String[] {"Run echo", "failure", "3"},
                                new String[] {"Test", "success", "4"})));

        JsonNode steps = getJson("/api/v1/deployments/" + run, admin).path("steps");
        assertThat(steps.valueStream().map(step -> step.path("step_name").asString()))
                .containsExactly("deploy / Run echo", "deploy / Build", "deploy / Test", "deploy");
        assertThat(steps.get(0).path("status").asString()).isEqualTo("failed");
        assertThat(streamEvents(Long.toString(run))).hasSize(5);
    }

    @Test
    void githubsFreeTextsAreStoredSanitisedAndTheAnswerSaysSo() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String longStep = "步".repeat(600);
        ObjectNode job = (ObjectNode) JSON.readTree(
                jobWithSteps(repository, run, List.<String[]>of(new String[] {longStep, "success", "1"})));
        ((ObjectNode) job.path("workflow_job"))
                .put("name", "de\u0000ploy")
                .put("workflow_name", "\u0000deploy-project");

        JsonNode answer = accepted("workflow_job", JSON.writeValueAsString(job));

        assertThat(answer.path("sanitized").valueStream().map(entry -> entry.path("field")
                        .asString()))
                .containsExactlyInAnyOrder(
                        "workflow_job.name", "workflow_job.workflow_name", "workflow_job.steps[0].name");
        JsonNode detail = getJson("/api/v1/deployments/" + run, admin);
        assertThat(detail.path("workflow_name").asString()).isEqualTo("deploy-project");
        assertThat(detail.path("steps").valueStream().map(step -> step.path("step_name")
                        .asString()))
                .containsExactly("deploy / " + "步".repeat(512 - "deploy / ".length()), "deploy");

        // a link that does not fit its column is left out rather than cut into another link
        String otherRepository = unique("repo");
        long otherRun = run + 1;
        ObjectNode workflowRun =
                (ObjectNode) JSON.readTree(fixture("workflow_run.completed.success", otherRepository, otherRun));
        ((ObjectNode) workflowRun.path("workflow_run")).put("html_url", "https://github.com/" + "x".repeat(2_000));
        JsonNode runAnswer = accepted("workflow_run", JSON.writeValueAsString(workflowRun));
        assertThat(runAnswer.path("sanitized").get(0).path("field").asString()).isEqualTo("workflow_run.html_url");
        JsonNode runDetail = getJson("/api/v1/deployments/" + otherRun, admin);
        assertThat(runDetail.path("html_url").isNull()).isTrue();
        assertThat(runDetail.path("status").asString()).isEqualTo("success");
    }

    @Test
    void aDeliveryIdUsedAgainWithAnotherBodyIsAnsweredWithWhatTheFirstStored() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String delivery = UUID.randomUUID().toString();
        JsonNode first =
                accepted(deliver("workflow_run", fixture("workflow_run.completed.success", repository, run), delivery));

        String otherRepository = unique("repo");
        long otherRun = run + 1;
        JsonNode again = accepted(deliver(
                "workflow_job", fixture("workflow_job.completed.failure", otherRepository, otherRun), delivery));

        answeredAsTheFirst(again, first, "workflow_run", repository, Long.toString(run), 1);
        assertThat(again.toString()).doesNotContain(otherRepository, Long.toString(otherRun));
        assertThat(deliveries(otherRepository)).isZero();
        assertThat(count("deployment", otherRepository)).isZero();
        assertThat(streamEvents(Long.toString(otherRun))).isEmpty();
    }

    @Test
    void pingIsAnsweredAndOtherEventsAreIgnoredWithAReason() {
        JsonNode ping = accepted("ping", fixture("ping", unique("repo"), 1L));
        assertThat(ping.path("ignored").asBoolean()).isFalse();
        assertThat(ping.path("event").asString()).isEqualTo("ping");

        String repository = unique("repo");
        JsonNode push = accepted("push", fixture("push", repository, 1L));
        assertThat(push.path("ignored").asBoolean()).isTrue();
        assertThat(push.path("reason").asString()).contains("push");
        assertThat(deliveries(repository)).isZero();
    }

    @Test
    void aFormEncodedHookIsVerifiedOverTheRawBody() {
        String repository = unique("repo");
        long run = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_000_000_000L);
        String form = "payload="
                + URLEncoder.encode(fixture("workflow_run.completed.success", repository, run), StandardCharsets.UTF_8);

        client.post()
                .uri(GITHUB_HOOK)
                .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                .header("X-GitHub-Event", "workflow_run")
                .header(
                        WebhookAuthenticator.SIGNATURE_HEADER,
                        WebhookAuthenticator.signatureHeader(SECRET, bytes(form)))
                .bodyValue(bytes(form))
                .exchange()
                .expectStatus()
                .isAccepted();
        assertThat(getJson("/api/v1/deployments/" + run, admin).path("status").asString())
                .isEqualTo("success");
    }

    @Test
    void badSignatureMissingEventAndUnusablePayloadsAreRefusedStoringNothing() {
        String repository = unique("repo");
        String body = fixture("workflow_run.completed.success", repository, 42L);
        problem(
                client.post()
                        .uri(GITHUB_HOOK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header("X-GitHub-Event", "workflow_run")
                        .header(
                                WebhookAuthenticator.SIGNATURE_HEADER,
                                WebhookAuthenticator.signatureHeader("wrong", bytes(body)))
                        .bodyValue(bytes(body))
                        .exchange(),
                HttpStatus.UNAUTHORIZED);
        problem(
                client.post()
                        .uri(GITHUB_HOOK)
                        .contentType(MediaType.APPLICATION_JSON)
                        .header(
                                WebhookAuthenticator.SIGNATURE_HEADER,
                                WebhookAuthenticator.signatureHeader(SECRET, bytes(body)))
                        .bodyValue(bytes(body))
                        .exchange(),
                HttpStatus.BAD_REQUEST);
        problem(
                deliver(
                        "workflow_run",
                        "{\"action\":\"completed\"}",
                        UUID.randomUUID().toString()),
                HttpStatus.BAD_REQUEST);
        assertThat(deliveries(repository)).isZero();
    }
}
