package dev.projectdashboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.e2e.client.Camera;
import dev.projectdashboard.e2e.client.EventSocket;
import dev.projectdashboard.e2e.client.Gateway;
import dev.projectdashboard.e2e.client.Ids;
import dev.projectdashboard.e2e.suite.EndToEnd;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow 2: a camera (source 001) registered through the gateway logs in to the broker with its secret, gets a presigned
 * URL over MQTT, PUTs its recording to S3 and reports its progress; the browser watching the device sees it live.
 */
@EndToEnd
class CameraUploadEndToEndTests {

    @Test
    void aCamerasUploadProgressReachesTheDevicesWatchers(RunningSuite suite) throws Exception {
        Gateway gateway = new Gateway(suite);
        String device = Ids.unique("E2E_CAM");
        String secret = Camera.register(gateway, suite.adminToken("e2e-admin"), device, "Front door");
        byte[] recording = Ids.randomBytes(200_000);
        String requestId = Ids.unique("upload");
        String cloudPath = device + "/2025/07/11/143022_motion_video.ts";

        try (EventSocket browser = EventSocket.open(suite, suite.userToken("e2e-watcher", List.of(), List.of(device)));
                Camera camera = Camera.connect(suite, device, secret)) {
            browser.subscribe("device:" + device);

            JsonNode answer = camera.requestUpload(requestId, cloudPath, recording.length);
            assertThat(answer.path("success").asBoolean())
                    .as("answer %s", answer)
                    .isTrue();
            assertThat(answer.path("request_id").asString()).isEqualTo(requestId);
            assertThat(answer.path("cloud_file_path").asString()).isEqualTo(cloudPath);
            assertThat(Camera.putRecording(gateway, answer, recording)).isEqualTo(200);

            camera.uploadStarted(cloudPath, recording.length);
            camera.uploadProgress(40, 80_000, recording.length);
            JsonNode progress = browser.await("device:upload", f -> "device.upload_progress"
                    .equals(f.path("type").asString("")));
            assertThat(progress.path("channel").asString()).isEqualTo("device:" + device);
            assertThat(progress.path("data").path("device_id").asString()).isEqualTo(device);
            assertThat(progress.path("data").path("request_id").asString()).isEqualTo(requestId);
            assertThat(progress.path("data").path("progress_percentage").asInt())
                    .isEqualTo(40);
            assertThat(progress.path("data").path("bytes_uploaded").asLong()).isEqualTo(80_000);

            String url = answer.path("upload_url").asString();
            camera.uploadCompleted(url.substring(0, url.indexOf('?')));
            JsonNode completed = browser.await("device:upload", f -> "device.upload_completed"
                    .equals(f.path("type").asString("")));
            assertThat(completed.path("data").path("cloud_file_path").asString())
                    .isEqualTo(cloudPath);
            assertThat(browser.frames().stream()
                            .filter(f -> "device:upload".equals(f.path("event").asString("")))
                            .map(f -> f.path("type").asString()))
                    .as("the device's events, in the order the camera caused them")
                    .containsExactly(
                            "device.upload_requested",
                            "device.upload_started",
                            "device.upload_progress",
                            "device.upload_completed");
        }

        String admin = suite.adminToken("e2e-admin");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Gateway.Answer upload = gateway.get("/api/v1/devices/" + device + "/uploads/" + requestId, admin);
            assertThat(upload.status()).isEqualTo(200);
            assertThat(upload.body().path("status").asString()).isEqualTo("completed");
            assertThat(upload.body().path("verified").asBoolean())
                    .as("verified by file-service")
                    .isTrue();
        });
    }
}
