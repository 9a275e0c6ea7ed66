package dev.projectdashboard.devicebridge.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.projectdashboard.localstack.MosquittoBroker;
import dev.projectdashboard.starter.DevDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The same camera against Debian's Mosquitto instead of HiveMQ: the bridge is broker-agnostic, and Mosquitto's own
 * per-device ACL (password file and {@code pattern} rules) keeps each camera to its topics. Skipped, saying so, where
 * mosquitto is not installed (CI installs it).
 */
class MosquittoIntegrationTests extends CameraTestSupport {

    private static final String ACL =
            """
            user device-bridge
            topic read $share/device-bridge/devices/+/upload/request
            topic read $share/device-bridge/devices/+/status/upload
            topic read devices/+/upload/request
            topic read devices/+/status/upload
            topic write devices/+/upload/response
            topic write devices/+/upload/response/#

            pattern write devices/%u/upload/request
            pattern write devices/%u/status/upload
            pattern read devices/%u/upload/response
            pattern read devices/%u/upload/response/#
            """;

    @Test
    void aCameraUploadsThroughMosquitto() throws Exception {
        assumeTrue(
                MosquittoBroker.available(), "mosquitto is not installed here: the Mosquitto camera test is skipped");
        String id = unique("MOSQ_CAM");
        String secret = register(id, null).get("mqtt_password").asString();
        String other = unique("MOSQ_OTHER");
        String otherSecret = register(other, null).get("mqtt_password").asString();
        try (MosquittoBroker mosquitto = MosquittoBroker.start(
                        Map.of("device-bridge", DevDefaults.MQTT_PASSWORD, id, secret, other, otherSecret), ACL);
                BridgeReplica bridge = BridgeReplica.start(
                        fileService.url(),
                        Map.of(
                                "dashboard.mqtt.host", mosquitto.host(),
                                "dashboard.mqtt.port", Integer.toString(mosquitto.port())))) {
            await().atMost(Duration.ofSeconds(30)).until(bridge::subscribed);
            Camera camera = Camera.connect(mosquitto.host(), mosquitto.port(), id, secret);
            try {
                // Mosquitto grants the subscription but, by its read rules, delivers nothing of another device
                camera.subscribe("devices/" + other + "/upload/response");
                Camera victim = Camera.connect(mosquitto.host(), mosquitto.port(), other, otherSecret);
                try {
                    Camera.assertSuccess(victim.request(victim.sourceRequest("r-victim", "v.ts", 10, 1)));
                } finally {
                    victim.close();
                }

                String cloudPath = id + "/2025/07/11/143022_motion_video.ts";
                byte[] recording = "recorded through mosquitto".getBytes(StandardCharsets.UTF_8);
                JsonNode answer = camera.request(camera.sourceRequest("upload_mosq", cloudPath, recording.length, 2));
                Camera.assertSuccess(answer);
                assertThat(answer.get("cloud_file_path").asString()).isEqualTo(cloudPath);
                assertThat(camera.upload(answer, recording)).isEqualTo(200);
                camera.status(Map.of("event", "upload_started", "file_path", "/sdcard/m.ts", "cloud_path", cloudPath));
                camera.status(
                        Map.of("event", "upload_completed", "file_path", "/sdcard/m.ts", "upload_duration_sec", 3));

                await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                    JsonNode upload = getJson("/api/v1/devices/" + id + "/uploads/upload_mosq", ADMIN);
                    assertThat(upload.get("status").asString()).isEqualTo("completed");
                    assertThat(upload.get("verified").asBoolean()).isTrue();
                });
                assertThat(camera.received())
                        .noneMatch(publish -> publish.getTopic().toString().contains(other));
            } finally {
                camera.close();
            }
        }
    }
}
