package dev.projectdashboard.bench.devicebridge;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SourceMessagesTests {

    @Test
    void cloudPathsFollowSourceOnesLayoutOnePerSecondOfTheDay() {
        assertThat(SourceMessages.cloudPath("CAM_1", 14 * 3600 + 30 * 60 + 22))
                .isEqualTo("CAM_1/2025/07/11/143022_motion_video.ts");
        assertThat(SourceMessages.cloudPath("CAM_1", 86_400 + 1)).isEqualTo("CAM_1/2025/07/11/000001_motion_video.ts");
    }

    @Test
    void theRequestHasSourceOnesFieldsInItsOrder() {
        JsonNode request = SourceMessages.JSON.readTree(SourceMessages.request(
                "upload_1a2b3c4d", "CAM_1", "CAM_1/2025/07/11/143022_motion_video.ts", 15_728_640L, 1691234567L));

        assertThat(request.propertyNames())
                .containsExactly(
                        "request_id", "file_name", "file_size", "priority", "timestamp", "device_id", "metadata");
        assertThat(request.get("file_size").asLong()).isEqualTo(15_728_640L);
        assertThat(request.get("priority").asInt()).isEqualTo(2);
        assertThat(request.get("metadata").get("content_type").asString()).isEqualTo("video/mp2t");
        assertThat(request.get("metadata").propertyNames())
                .containsExactly("content_type", "format", "trigger", "duration", "resolution");
    }

    @Test
    void theStartedReportNamesTheCloudPath() {
        JsonNode started = SourceMessages.JSON.readTree(
                SourceMessages.uploadStarted("CAM_1/2025/07/11/143022_motion_video.ts", 10, 1691234567L));

        assertThat(started.get("event").asString()).isEqualTo("upload_started");
        assertThat(started.get("cloud_path").asString()).isEqualTo("CAM_1/2025/07/11/143022_motion_video.ts");
        assertThat(SourceMessages.JSON
                        .readTree(SourceMessages.uploadCompleted("http://s3/x", 3, 1691234599L))
                        .get("event")
                        .asString())
                .isEqualTo("upload_completed");
    }
}
