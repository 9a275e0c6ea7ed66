package dev.projectdashboard.eventbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.eventbus.payload.DeploymentCompleted;
import dev.projectdashboard.eventbus.payload.DeploymentMetrics;
import dev.projectdashboard.eventbus.payload.DeploymentStep;
import dev.projectdashboard.eventbus.payload.DeviceUploadProgress;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventJsonTests {

    private final EventCodec codec = new EventCodec();
    private final JsonMapper json = EventCodec.defaultMapper();

    @Test
    void everyEventTypeHasASample() {
        assertThat(EventSamples.all()).containsOnlyKeys(EventType.values());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void roundTripsEveryEventTypeThroughTheEnvelope(EventType type) {
        Object data = EventSamples.all().get(type);
        CloudEvent<Object> event = CloudEvent.of(type.type(), "/tests", "channel:1", data);

        CloudEvent<JsonNode> decoded = codec.decode(codec.encode(event));

        assertThat(decoded.withData(null)).isEqualTo(event.withData(null));
        assertThat(codec.data(decoded)).isInstanceOf(type.dataType()).isEqualTo(data);
        assertThat(codec.typed(decoded)).isEqualTo(event);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void writesDataFieldsInSnakeCase(EventType type) {
        JsonNode data = json.readTree(codec.encode(CloudEvent.of(
                        type.type(), "/tests", null, EventSamples.all().get(type))))
                .get("data");

        assertThat(fieldNames(data)).allSatisfy(name -> assertThat(name).matches("[a-z0-9_]+"));
    }

    @Test
    void takesTheEventTimeFromTheGivenClockToTheMillisecond() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-04T05:06:07.123456Z"), ZoneOffset.UTC);

        CloudEvent<TaskProgress> event = CloudEvent.of(
                EventTypes.TASK_PROGRESS, "/tests", "task:t1", new TaskProgress("u1", "t1", 1, 1, 2, null), clock);

        assertThat(json.readTree(codec.encode(event)).get("time").asString()).isEqualTo("2026-03-04T05:06:07.123Z");
    }

    @Test
    void writesTheCloudEventsAttributesOfTheContract() {
        CloudEvent<TaskProgress> event = CloudEvent.of(
                EventTypes.TASK_PROGRESS,
                "/realtime-service",
                "task:t1",
                new TaskProgress("u1", "t1", 50, 10, 20, null));

        JsonNode node = json.readTree(codec.encode(event));

        assertThat(fieldNames(node))
                .containsExactly("specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data");
        assertThat(node.get("specversion").asString()).isEqualTo("1.0");
        assertThat(node.get("datacontenttype").asString()).isEqualTo("application/json");
        UUID id = UUID.fromString(node.get("id").asString());
        assertThat(id.version()).isEqualTo(4);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(CloudEvent.of(EventTypes.TASK_LOG, "/x", null, null).id()).isNotEqualTo(id.toString());
        assertThat(node.get("time").asString()).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?Z");
        assertThat(fieldNames(node.get("data")))
                .containsExactly("user_id", "task_id", "progress", "current_frame", "total_frames");
    }

    @Test
    void taskCompletedCarriesResultFilesRenderTimeCostAndTemplateInputs() {
        JsonNode data = json.readTree(codec.encode(CloudEvent.of(
                        EventTypes.TASK_COMPLETED,
                        "/x",
                        null,
                        EventSamples.all().get(EventType.TASK_COMPLETED))))
                .get("data");

        assertThat(fieldNames(data))
                .containsExactly(
                        "user_id", "task_id", "result_files", "render_time", "cost", "result_json", "meta_info");
        assertThat(data.get("result_json").isObject()).isTrue();
        assertThat(data.get("meta_info").get("page_count").asInt()).isEqualTo(3);
    }

    @Test
    void readsAnEnvelopeWrittenByAnotherProducer() {
        String written =
                """
                {"specversion":"1.0","id":"e-1","source":"/backend","type":"task.completed",
                 "time":"2024-01-01T20:00:00+08:00","subject":"user:u1","datacontenttype":"application/json",
                 "traceparent":"00-abc-def-01",
                 "data":{"user_id":"u1","task_id":"t1","result_files":["a.png"],"render_time":1.5,"cost":2,
                         "extra":"ignored"}}
                """;

        CloudEvent<JsonNode> event = codec.decode(written);

        assertThat(event.time()).isEqualTo(Instant.parse("2024-01-01T12:00:00Z"));
        assertThat(codec.data(event, TaskCompleted.class))
                .isEqualTo(new TaskCompleted("u1", "t1", List.of("a.png"), 1.5, 2.0, null, null));
    }

    @Test
    void readsTheSourceDocumentsPayloadsAsTheirRecords() {
        DeploymentStep step = json.readValue(
                """
                {"type":"step_started","project":"axi-star-cloud","deployment_id":"123456789",
                 "step_name":"部署验证","step_status":"started","timestamp":"2024-01-01T12:00:00.000Z",
                 "workflow_name":"deploy-project","workflow_id":"987654321","logs":"开始验证部署参数","duration":0}
                """,
                DeploymentStep.class);
        DeploymentCompleted legacy = json.readValue(
                """
                {"project":"axi-star-cloud","status":"success","duration":45,"timestamp":"2024-01-01T12:01:00.000Z"}
                """,
                DeploymentCompleted.class);
        DeviceUploadProgress progress = json.readValue(
                """
                {"event":"upload_progress","file_path":"/sdcard/recordings/motion_20250711_143022.ts",
                 "progress_percentage":45.2,"bytes_uploaded":7108608,"total_bytes":15728640,
                 "upload_speed_kbps":512,"estimated_time_remaining_sec":18,"timestamp":1691234580}
                """,
                DeviceUploadProgress.class);

        assertThat(step).isEqualTo(EventSamples.all().get(EventType.DEPLOYMENT_STEP_STARTED));
        assertThat(legacy.status()).isEqualTo("success");
        assertThat(legacy.duration()).isEqualTo(BigDecimal.valueOf(45));
        assertThat(progress.progressPercentage()).isEqualTo(45.2);
        assertThat(progress.bytesUploaded()).isEqualTo(7108608L);
    }

    @Test
    void deploymentDurationsKeepTheirFractionBothWays() {
        DeploymentStep step = json.readValue(
                """
                {"project":"axi-star-cloud","deployment_id":"123456789","step_name":"构建应用","duration":12.5}
                """,
                DeploymentStep.class);
        DeploymentMetrics metrics = json.readValue(
                """
                {"project":"axi-star-cloud","deployment_id":"123456789","metrics":{"total_duration":45.75}}
                """,
                DeploymentMetrics.class);

        assertThat(step.duration()).isEqualTo(new BigDecimal("12.5"));
        assertThat(metrics.metrics().totalDuration()).isEqualTo(new BigDecimal("45.75"));
        JsonNode written = json.readTree(
                        codec.encode(CloudEvent.of(EventTypes.DEPLOYMENT_STEP_COMPLETED, "/tests", null, step)))
                .path("data");
        assertThat(written.path("duration").toString()).isEqualTo("12.5");
        JsonNode whole =
                json.readTree(json.writeValueAsString(EventSamples.all().get(EventType.DEPLOYMENT_COMPLETED)));
        assertThat(whole.path("duration").toString()).isEqualTo("45");
    }

    @Test
    void keepsDataOfUnknownTypesAsJson() {
        CloudEvent<JsonNode> event =
                codec.decode(codec.encode(CloudEvent.of("custom.thing", "/x", null, java.util.Map.of("a", 1))));

        assertThat(codec.data(event)).isInstanceOf(JsonNode.class);
        assertThat(((JsonNode) codec.data(event)).get("a").asInt()).isEqualTo(1);
    }

    @Test
    void rejectsWhatIsNotACloudEventsEnvelope() {
        assertThatThrownBy(() -> codec.decode("{\"id\":\"1\"}")).isInstanceOf(EventCodec.EventCodecException.class);
        assertThatThrownBy(() -> codec.decode("not json")).isInstanceOf(EventCodec.EventCodecException.class);
        assertThatThrownBy(() -> codec.decode(null)).isInstanceOf(EventCodec.EventCodecException.class);
        assertThatThrownBy(() -> codec.decode(
                        "{\"specversion\":\"0.3\",\"id\":\"1\",\"source\":\"/x\",\"type\":\"notification\"}"))
                .isInstanceOf(EventCodec.EventCodecException.class)
                .hasMessageContaining("specversion");
    }

    @Test
    void mapsEveryTypeToItsDesignStream() {
        assertThat(EventType.of("deployment.metrics")).contains(EventType.DEPLOYMENT_METRICS);
        assertThat(EventType.DEPLOYMENT_LOG.stream()).isEqualTo("events:deployments");
        assertThat(EventType.DEVICE_UPLOAD_FAILED.stream()).isEqualTo("events:devices");
        assertThat(EventType.TASK_LOG.stream()).isEqualTo("events:tasks");
        assertThat(EventType.NOTIFICATION.stream()).isEqualTo("events:notifications");
        assertThat(EventType.FILE_DELETED.stream()).isEqualTo("events:files");
        assertThat(EventType.WEBHOOK_DEAD_LETTERED.stream()).isEqualTo("events:webhooks");
        assertThat(EventType.of("nope")).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        Iterator<String> it = node.propertyNames().iterator();
        it.forEachRemaining(names::add);
        return names;
    }
}
