package dev.projectdashboard.realtimeservice.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/** Which channels each event type reaches, with payloads shaped like the contracts' tasks, deployments and devices (docs/contracts.md). */
class EventRouterTests {

    private final EventRouter router = new EventRouter();
    private final EventCodec codec = new EventCodec();

    private List<String> channels(String type, String subject, String data) {
        String subjectJson = subject == null ? "" : ",\"subject\":\"" + subject + "\"";
        CloudEvent<JsonNode> event = codec.decode("{\"specversion\":\"1.0\",\"id\":\"e1\",\"source\":\"/test\","
                + "\"type\":\"" + type + "\"" + subjectJson + ",\"data\":" + data + "}");
        return router.channels(event).stream().map(ChannelName::toString).toList();
    }

    @ParameterizedTest
    @CsvSource({"task.progress", "task.status", "task.completed", "task.failed", "task.log"})
    void taskEventsReachTheTaskAndItsOwner(String type) {
        assertThat(channels(
                        type,
                        null,
                        "{\"user_id\":\"u1\",\"task_id\":\"t-42\",\"progress\":40,\"current_frame\":4,"
                                + "\"total_frames\":10,\"message\":\"rendering\"}"))
                .containsExactly("task:t-42", "user:u1");
    }

    @Test
    void taskEventWithoutOwnerReachesOnlyTheTask() {
        assertThat(channels("task.progress", null, "{\"task_id\":\"t1\",\"progress\":5}"))
                .containsExactly("task:t1");
    }

    @Test
    void subjectIsAddedOnceWhenItIsAChannel() {
        assertThat(channels("task.log", "task:t1", "{\"task_id\":\"t1\",\"user_id\":\"u1\",\"message\":\"x\"}"))
                .containsExactly("task:t1", "user:u1");
        assertThat(channels("task.log", "free text, not a channel", "{\"task_id\":\"t1\"}"))
                .containsExactly("task:t1");
    }

    @Test
    void notificationGoesToItsUserOrToEveryone() {
        assertThat(channels(
                        "notification",
                        null,
                        "{\"user_id\":\"u7\",\"title\":\"Done\",\"message\":\"m\",\"type\":\"success\"}"))
                .containsExactly("user:u7");
        assertThat(channels("notification", null, "{\"title\":\"Maintenance\",\"message\":\"m\",\"type\":\"info\"}"))
                .containsExactly("system:notifications");
    }

    @ParameterizedTest
    @CsvSource({
        "deployment.step_started",
        "deployment.step_completed",
        "deployment.step_failed",
        "deployment.completed",
        "deployment.log",
        "deployment.metrics"
    })
    void deploymentEventsReachTheProjectAndTheDeployment(String type) {
        assertThat(channels(
                        type,
                        null,
                        "{\"project\":\"axi-star-cloud\",\"deployment_id\":\"1234\",\"step_name\":\"build\","
                                + "\"step_status\":\"running\",\"timestamp\":\"2024-01-01T00:00:00Z\"}"))
                .containsExactly("project:axi-star-cloud", "deployment:1234");
    }

    @Test
    void deploymentWithNumericIdStillReachesItsChannel() {
        assertThat(channels("deployment.log", null, "{\"project\":\"p\",\"deployment_id\":99}"))
                .containsExactly("project:p", "deployment:99");
    }

    @ParameterizedTest
    @CsvSource({
        "device.upload_requested",
        "device.upload_started",
        "device.upload_progress",
        "device.upload_completed",
        "device.upload_failed"
    })
    void deviceEventsReachTheDevice(String type) {
        assertThat(channels(
                        type,
                        null,
                        "{\"device_id\":\"pi-01\",\"file_path\":\"/data/a.jpg\",\"filename\":\"a.jpg\","
                                + "\"file_size\":1024,\"timestamp\":1700000000}"))
                .containsExactly("device:pi-01");
    }

    @Test
    void fileEventsReachTheTaskAndTheUploader() {
        assertThat(channels(
                        "file.uploaded",
                        null,
                        "{\"user_id\":\"u1\",\"task_id\":\"t1\",\"filename\":\"a.png\",\"size\":3}"))
                .containsExactly("task:t1", "user:u1");
        assertThat(channels("file.deleted", null, "{\"uploaded_by\":\"u2\",\"object_key\":\"k\"}"))
                .containsExactly("user:u2");
    }

    @Test
    void webhookEventsReachOnlyTheirSubject() {
        assertThat(channels("webhook.delivered", null, "{\"webhook_id\":\"w1\",\"user_id\":\"u1\"}"))
                .isEmpty();
        assertThat(channels("webhook.failed", "user:u1", "{\"webhook_id\":\"w1\"}"))
                .containsExactly("user:u1");
    }

    @Test
    void missingOrMalformedFieldsDropOnlyTheirChannel() {
        assertThat(channels("deployment.log", null, "{\"project\":\"has space\",\"deployment_id\":\"d1\"}"))
                .containsExactly("deployment:d1");
        assertThat(channels("device.upload_started", null, "{\"file_path\":\"/x\"}"))
                .isEmpty();
        assertThat(channels("task.progress", null, "null")).isEmpty();
        assertThat(channels("unknown.thing", null, "{\"task_id\":\"t1\"}")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "task.progress, task:progress",
        "task.log, task:log",
        "notification, notification",
        "deployment.step_started, deployment:step",
        "deployment.step_failed, deployment:step",
        "deployment.completed, deployment:completed",
        "deployment.metrics, deployment:metrics",
        "device.upload_progress, device:upload",
        "file.uploaded, file:uploaded",
        "webhook.dead_lettered, webhook:dead_lettered",
        "custom.thing.more, custom:thing.more"
    })
    void nativeEventNames(String type, String name) {
        assertThat(EventRouter.eventName(type)).isEqualTo(name);
    }
}
