package dev.projectdashboard.deploynotifier.api;

import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.payload;
import static dev.projectdashboard.deploynotifier.api.DeploymentWebhookTests.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.deploynotifier.DeployNotifierTestSupport;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import tools.jackson.databind.JsonNode;

/** Redis away: 503, nothing lost; the caller's retry (or the relay) publishes exactly once. */
class DeploymentOutageTests extends DeployNotifierTestSupport {

    @Test
    void redisDownGives503AndTheRetryPublishesTheStoredStepOnce() {
        String project = unique("outage");
        String deployment = unique("run");
        String body = payload("step_started", project, deployment);

        stack().stopRedis();
        try {
            JsonNode problem = problem(postSigned(DEPLOYMENT_HOOK, body), HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(problem.path("detail").asString()).contains("retry");
        } finally {
            stack().startRedis();
        }
        // stored once, and not yet on the stream
        assertThat(count("deployment_step", project)).isOne();

        JsonNode retried = JSON.readTree(await().atMost(Duration.ofSeconds(20))
                .ignoreExceptions()
                .until(
                        () -> postSigned(DEPLOYMENT_HOOK, body)
                                .expectStatus()
                                .isAccepted()
                                .expectBody()
                                .returnResult()
                                .getResponseBody(),
                        answer -> answer != null));
        assertThat(retried.path("duplicate").asBoolean()).isTrue();
        assertThat(count("deployment_step", project)).isOne();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(streamEvents(deployment)).hasSize(1));
    }

    @Test
    void withoutARetryTheRelayPublishesWhatRedisMissed() {
        String project = unique("relay");
        String deployment = unique("run");

        stack().stopRedis();
        try {
            problem(
                    postSigned(DEPLOYMENT_HOOK, payload("log_entry", project, deployment)),
                    HttpStatus.SERVICE_UNAVAILABLE);
        } finally {
            stack().startRedis();
        }

        // relay-after is 2 s in these tests; nobody retries
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(streamEvents(deployment)).hasSize(1));
        assertThat(streamEvents(deployment).get(0).path("type").asString()).isEqualTo("deployment.log");
    }
}
