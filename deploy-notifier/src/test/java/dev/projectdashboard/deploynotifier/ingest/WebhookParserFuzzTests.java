package dev.projectdashboard.deploynotifier.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.projectdashboard.deploynotifier.deployment.Names;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.Times;
import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz tests of the two webhook parsers: whatever the bytes, the answer is a notification that fits the database or
 * the parser's own 4xx refusal, never another exception (which the service would answer with a 5xx).
 *
 * <p>Under {@code mvn verify} these run in Jazzer's regression mode: each seed in {@code
 * WebhookParserFuzzTestsInputs/<method>/} (the deployment webhook's payloads, GitHub's, hostile variants) and every finding saved
 * there, once, in a few seconds. To fuzz for real, one test per run for its {@code maxDuration}, see "Hostile input" in
 * docs/deploy-notifier.md ({@code JAZZER_FUZZ=1}, {@code -Djazzer.hooks=true}).
 */
class WebhookParserFuzzTests {

    /** The webhook's own parser settings: duplicate keys are refused. */
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    private final NotificationParser parser = new NotificationParser(Clock.fixed(NOW, ZoneOffset.UTC));

    @FuzzTest(maxDuration = "60s")
    void aDeploymentNotificationIsParsedOrRefusedWithA4xx(byte[] body) {
        JsonNode payload = json(body);
        if (payload == null) {
            return; // not JSON: the ingest answers 400 before the parser sees it
        }
        try {
            storable(parser.parse(payload, new byte[32]));
        } catch (ProblemException refused) {
            assertThat(refused.getStatusCode().is4xxClientError()).isTrue();
        }
    }

    @FuzzTest(maxDuration = "60s")
    void aWorkflowRunIsMappedOrRefusedWithA4xx(byte[] body) {
        github("workflow_run", body);
    }

    @FuzzTest(maxDuration = "60s")
    void aWorkflowJobIsMappedOrRefusedWithA4xx(byte[] body) {
        github("workflow_job", body);
    }

    @FuzzTest(maxDuration = "60s")
    void aDeploymentStatusIsMappedOrRefusedWithA4xx(byte[] body) {
        github("deployment_status", body);
    }

    private static void github(String event, byte[] body) {
        JsonNode payload = json(body);
        if (payload == null) {
            return;
        }
        try {
            GithubEvents.Mapped mapped = GithubEvents.map(event, payload, 1_000, NOW);
            mapped.notifications().forEach(WebhookParserFuzzTests::storable);
            assertThat(mapped.notifications().isEmpty()).isEqualTo(mapped.ignored());
        } catch (ProblemException refused) {
            assertThat(refused.getStatusCode().is4xxClientError()).isTrue();
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (JacksonException notJson) {
            return null;
        }
    }

    /** What the store writes must fit its columns: no NUL, no text too long, no time PostgreSQL cannot hold. */
    private static void storable(Notification notification) {
        if (!(notification instanceof Notification.Test)) {
            assertThat(notification.project()).matches(Names.REGEX);
            assertThat(notification.deploymentId()).matches(Names.REGEX);
        }
        if (notification instanceof Notification.Step step) {
            text(step.stepName(), 512);
            text(step.workflowName(), 255);
            text(step.workflowId(), 128);
            text(step.logs(), Integer.MAX_VALUE);
            time(step.timestamp());
            assertThat(step.duration() == null || step.duration().signum() >= 0).isTrue();
        } else if (notification instanceof Notification.Completed completed) {
            text(completed.workflowName(), 255);
            text(completed.workflowId(), 128);
            text(completed.logs(), Integer.MAX_VALUE);
            text(completed.htmlUrl(), 1024);
            time(completed.timestamp());
            time(completed.startedAt());
            time(completed.completedAt());
            assertThat(completed.duration() == null || completed.duration().signum() >= 0)
                    .isTrue();
        } else if (notification instanceof Notification.Logs logs) {
            for (Notification.LogLine line : logs.lines()) {
                text(line.logStreamId(), 255);
                text(line.source(), 255);
                text(line.message(), Fields.MAX_TEXT);
                time(line.timestamp());
            }
        } else if (notification instanceof Notification.Metrics metrics) {
            time(metrics.timestamp());
        } else if (notification instanceof Notification.RunStarted run) {
            text(run.workflowName(), 255);
            text(run.workflowId(), 128);
            text(run.htmlUrl(), 1024);
            time(run.startedAt());
        }
    }

    private static void text(String text, int maxLength) {
        if (text != null) {
            assertThat(text).doesNotContain("\0").hasSizeLessThanOrEqualTo(maxLength);
        }
    }

    private static void time(Instant instant) {
        if (instant != null) {
            assertThat(instant).isBetween(Times.EARLIEST, Times.LATEST);
        }
    }
}
