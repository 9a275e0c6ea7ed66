package dev.projectdashboard.devicebridge.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.test.StreamContents;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A camera following source 001 to the letter, and every way a request can be wrong. */
class CameraIntegrationTests extends CameraTestSupport {

    private static final DateTimeFormatter PATH_DATE =
            DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    @Test
    void aSimulatedCameraUploadsARecordingAndEveryStatusBecomesAnEvent() throws Exception {
        String id = unique("ESP32P4_CAM");
        Camera camera = camera(id);
        byte[] recording = "MPEG-TS bytes of a motion recording".repeat(100).getBytes(StandardCharsets.UTF_8);
        String cloudPath = id + "/2025/07/11/143022_motion_video.ts";

        JsonNode answer = camera.request(camera.sourceRequest("upload_1a2b3c4d", cloudPath, recording.length, 2));

        Camera.assertSuccess(answer);
        assertThat(answer.get("request_id").asString()).isEqualTo("upload_1a2b3c4d");
        assertThat(answer.get("method").asString()).isEqualTo("PUT");
        assertThat(answer.get("content_type").asString()).isEqualTo("video/mp2t");
        // the firmware's full path is the key, as it is
        assertThat(answer.get("cloud_file_path").asString()).isEqualTo(cloudPath);
        assertThat(answer.get("expires_at").asLong())
                .isGreaterThan(Instant.now().getEpochSecond());
        assertThat(answer.get("extra_headers").isObject()).isTrue();
        assertThat(answer.get("upload_url").asString()).contains(cloudPath);
        assertThat(answer.has("multipart")).isFalse();

        assertThat(camera.upload(answer, recording)).isEqualTo(200);
        String local = "/sdcard/recordings/motion_20250711_143022.ts";
        camera.status(Map.of(
                "event",
                "upload_started",
                "file_path",
                local,
                "filename",
                "motion_20250711_143022.ts",
                "cloud_path",
                cloudPath,
                "file_size",
                recording.length,
                "priority",
                2,
                "timestamp",
                1691234567L));
        camera.status(Map.of(
                "event",
                "upload_progress",
                "file_path",
                local,
                "progress_percentage",
                45.2,
                "bytes_uploaded",
                recording.length / 2,
                "total_bytes",
                recording.length,
                "upload_speed_kbps",
                512,
                "estimated_time_remaining_sec",
                18,
                "timestamp",
                1691234580L));
        camera.status(Map.of(
                "event",
                "upload_completed",
                "file_path",
                local,
                "filename",
                "motion_20250711_143022.ts",
                "cloud_url",
                "https://bucket.example/" + cloudPath,
                "upload_duration_sec",
                32,
                "average_speed_kbps",
                491,
                "timestamp",
                1691234599L));

        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(StreamContents.withSubject(Streams.DEVICES, "device:" + id).stream()
                                .map(event -> event.get("type").asString()))
                        .containsExactly(
                                "device.upload_requested",
                                "device.upload_started",
                                "device.upload_progress",
                                "device.upload_completed"));
        JsonNode progress = StreamContents.withSubject(Streams.DEVICES, "device:" + id)
                .get(2)
                .get("data");
        assertThat(progress.get("progress_percentage").asDouble()).isEqualTo(45.2);
        assertThat(progress.get("request_id").asString()).isEqualTo("upload_1a2b3c4d");
        assertThat(progress.get("cloud_file_path").asString()).isEqualTo(cloudPath);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode upload = getJson("/api/v1/devices/" + id + "/uploads/upload_1a2b3c4d", ADMIN);
            assertThat(upload.get("status").asString()).isEqualTo("completed");
            assertThat(upload.get("verified").asBoolean()).isTrue();
            assertThat(upload.get("upload_duration_sec").asInt()).isEqualTo(32);
            assertThat(upload.get("local_file_path").asString()).isEqualTo(local);
        });
        JsonNode statistics = getJson("/api/v1/devices/" + id + "/statistics", ADMIN);
        assertThat(statistics.get("successful_uploads").asLong()).isEqualTo(1);
        assertThat(statistics.get("bytes_uploaded").asLong()).isEqualTo(recording.length);
        assertThat(statistics.get("average_speed_kbps").asInt()).isEqualTo(491);
        JsonNode device = getJson("/api/v1/devices/" + id, ADMIN);
        assertThat(device.get("last_seen_at").isNull()).isFalse();
    }

    @Test
    void aBareFileNameGetsTheKeyBuiltForTheDevice() {
        String id = unique("CAM");
        Camera camera = camera(id);
        JsonNode answer = camera.request(camera.sourceRequest("r-bare", "clip.ts", 1024, 1));
        Camera.assertSuccess(answer);
        assertThat(answer.get("cloud_file_path").asString())
                .startsWith(id + "/" + PATH_DATE.format(Instant.now()).substring(0, 4))
                .matches(java.util.regex.Pattern.quote(id) + "/\\d{4}/\\d{2}/\\d{2}/\\d{6}_clip\\.ts");
    }

    @Test
    void aRetriedRequestGetsTheSameUploadNotASecondOne() {
        String id = unique("CAM");
        Camera camera = camera(id);
        Map<String, Object> request = camera.sourceRequest("r-retry", "clip.ts", 2048, 1);
        JsonNode first = camera.request(request);
        camera.send(request);
        camera.send(request);
        await().atMost(Duration.ofSeconds(15))
                .until(() -> camera.answers("r-retry").size() == 3);
        assertThat(camera.answers("r-retry"))
                .extracting(answer -> answer.get("cloud_file_path").asString())
                .containsOnly(first.get("cloud_file_path").asString());
        JsonNode uploads = getJson("/api/v1/devices/" + id + "/uploads", ADMIN);
        assertThat(uploads.get("uploads")).hasSize(1);
        assertThat(uploads.get("uploads").get(0).get("request_count").asInt()).isEqualTo(3);
    }

    @Test
    void everyBadRequestIsAnsweredWithItsErrorCode() {
        String id = unique("CAM");
        Camera camera = camera(id);
        String other = unique("OTHER");

        camera.publish("devices/" + id + "/upload/request", "{not json".getBytes(StandardCharsets.UTF_8));
        JsonNode garbage = camera.answer(null);
        assertThat(garbage.get("success").asBoolean()).isFalse();
        assertThat(garbage.get("error_code").asString()).isEqualTo("INVALID_REQUEST");
        assertThat(garbage.get("error_message").asString()).isNotBlank();

        Map<String, Object> wrongType = camera.sourceRequest("r-type", "a.ts", 1, 1);
        wrongType.put("file_size", "fifteen megabytes");
        assertThat(code(camera.request(wrongType))).isEqualTo("INVALID_REQUEST");

        Map<String, Object> missing = camera.sourceRequest("r-missing", "a.ts", 1, 1);
        missing.remove("file_name");
        assertThat(code(camera.request(missing))).isEqualTo("INVALID_REQUEST");

        Map<String, Object> spoofed = camera.sourceRequest("r-spoof", "a.ts", 1, 1);
        spoofed.put("device_id", other);
        assertThat(code(camera.request(spoofed))).isEqualTo("UNAUTHORIZED");

        assertThat(code(camera.request(camera.sourceRequest("r-big", "a.ts", 6L * 1024 * 1024 * 1024, 1))))
                .isEqualTo("FILE_TOO_LARGE");

        Map<String, Object> type = camera.sourceRequest("r-exe", "a.exe", 10, 1);
        type.put("metadata", Map.of("content_type", "application/x-msdownload"));
        assertThat(code(camera.request(type))).isEqualTo("UNSUPPORTED_TYPE");

        assertThat(code(camera.request(camera.sourceRequest("r-dots", "../../etc/passwd", 10, 1))))
                .isEqualTo("INVALID_REQUEST");
        assertThat(code(camera.request(
                        camera.sourceRequest("r-theirs", other + "/2025/07/11/143022_motion_video.ts", 10, 1))))
                .isEqualTo("INVALID_REQUEST");
        assertThat(code(camera.request(camera.sourceRequest("r-ctl", "a\u0001.ts", 10, 1))))
                .isEqualTo("INVALID_REQUEST");
        assertThat(code(camera.request(camera.sourceRequest("r-prio", "a.ts", 10, 7))))
                .isEqualTo("INVALID_REQUEST");

        // nothing of it was stored
        assertThat(getJson("/api/v1/devices/" + id + "/uploads", ADMIN).get("uploads"))
                .isEmpty();
    }

    @Test
    void anUnregisteredDeviceIsRefused() {
        String stranger = unique("STRANGER");
        Camera camera = connect(stranger, null);
        assertThat(code(camera.request(camera.sourceRequest("r-1", "a.ts", 10, 1))))
                .isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aDisabledDeviceIsRefused() {
        String id = unique("CAM");
        Camera camera = camera(id);
        disable(id);
        // the cache of this replica was cleared by the change itself
        assertThat(code(camera.request(camera.sourceRequest("r-1", "a.ts", 10, 1))))
                .isEqualTo("UNAUTHORIZED");
    }

    @Test
    void aDeviceAskingTooOftenIsRateLimited() {
        String id = unique("CAM");
        Camera camera = camera(id);
        for (int i = 0; i < 25; i++) {
            camera.send(camera.sourceRequest("r-" + i, "a.ts", 10, 1));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            int answered = 0;
            for (int i = 0; i < 25; i++) {
                answered += camera.answers("r-" + i).size();
            }
            return answered == 25;
        });
        List<String> codes = java.util.stream.IntStream.range(0, 25)
                .mapToObj(i -> camera.answers("r-" + i).get(0))
                .map(answer -> answer.get("success").asBoolean()
                        ? "OK"
                        : answer.get("error_code").asString())
                .toList();
        assertThat(codes.stream().filter("OK"::equals)).hasSize(20);
        assertThat(codes.stream().filter("RATE_LIMITED"::equals)).hasSize(5);
    }

    @Test
    void storageTroubleIsAnsweredSoTheDeviceRetries() {
        String id = unique("CAM");
        Camera camera = camera(id);
        fileService.unavailable(true);
        assertThat(code(camera.request(camera.sourceRequest("r-1", "a.ts", 10, 1))))
                .isEqualTo("STORAGE_UNAVAILABLE");
        fileService.unavailable(false);
        // the retry works, and the failed attempt left nothing behind
        camera.send(camera.sourceRequest("r-1", "a.ts", 10, 1));
        await().atMost(Duration.ofSeconds(15)).until(() -> camera.answers("r-1").size() == 2);
        Camera.assertSuccess(camera.answers("r-1").get(1));
        assertThat(getJson("/api/v1/devices/" + id + "/uploads", ADMIN).get("uploads"))
                .hasSize(1);
    }

    @Test
    void aRequestTheStoreRefusesGetsThatRefusalsCodeWhileTheOthersOfItsBatchAreSigned() {
        Camera camera = camera(unique("CAM"));
        Map<String, Object> refused = camera.sourceRequest("r-refused", "a.ts", 10, 1);
        refused.put("metadata", Map.of("content_type", FileServiceStub.REFUSED_TYPE));

        camera.send(refused);
        camera.send(camera.sourceRequest("r-fine", "b.ts", 10, 1));

        JsonNode answer = camera.answer("r-refused");
        assertThat(code(answer)).isEqualTo("UNSUPPORTED_TYPE");
        assertThat(answer.get("error_message").asString()).isEqualTo("Content type not allowed by the store");
        Camera.assertSuccess(camera.answer("r-fine"));
    }

    @Test
    void anObjectThatIsNotWhatTheCameraReportedFailsTheUpload() throws Exception {
        String id = unique("CAM");
        Camera camera = camera(id);
        String cloudPath = id + "/2025/07/11/143022_short.ts";
        JsonNode answer = camera.request(camera.sourceRequest("r-short", cloudPath, 1000, 1));
        assertThat(camera.upload(answer, new byte[10])).isEqualTo(200);
        camera.status(Map.of("event", "upload_started", "file_path", "/sdcard/s.ts", "cloud_path", cloudPath));
        camera.status(Map.of("event", "upload_completed", "file_path", "/sdcard/s.ts", "upload_duration_sec", 1));

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode upload = getJson("/api/v1/devices/" + id + "/uploads/r-short", ADMIN);
            assertThat(upload.get("status").asString()).isEqualTo("failed");
            assertThat(upload.get("verified").asBoolean()).isFalse();
            assertThat(upload.get("error_code").asString()).isEqualTo("VERIFICATION_FAILED");
        });
        assertThat(StreamContents.withSubject(Streams.DEVICES, "device:" + id).stream()
                        .filter(event -> event.get("type").asString().equals("device.upload_failed"))
                        .map(event -> event.get("data").get("error_code").asString()))
                .containsExactly("VERIFICATION_FAILED");
    }

    @Test
    void statusOfAnUnknownUploadOrAnotherDevicesPathIsNotStored() {
        String id = unique("CAM");
        Camera camera = camera(id);
        camera.status(Map.of("event", "upload_progress", "file_path", "/sdcard/never-requested.ts"));
        camera.status(Map.of(
                "event", "upload_started",
                "file_path", "/sdcard/x.ts",
                "cloud_path", "SOMEONE_ELSE/2025/07/11/143022_x.ts"));
        camera.status(Map.of("event", "upload_exploded", "file_path", "/sdcard/x.ts"));
        await().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertThat(metric("device_bridge_status_rejected_total"))
                        .isGreaterThanOrEqualTo(3));
        assertThat(StreamContents.withSubject(Streams.DEVICES, "device:" + id)).isEmpty();
    }

    @Test
    void anMqtt5ResponseTopicOfTheDevicesOwnIsAnsweredWithTheCorrelationData() {
        String id = unique("CAM");
        Camera camera = camera(id);
        String replyTo = "devices/" + id + "/upload/response/rpc-7";
        camera.subscribe(replyTo);
        camera.publishRequest(camera.sourceRequest("r-rpc", "a.ts", 10, 1), replyTo, "corr-7");
        await().atMost(Duration.ofSeconds(15)).until(() -> camera.received().stream()
                .anyMatch(publish -> publish.getTopic().toString().equals(replyTo)
                        && publish.getCorrelationData()
                                .map(data -> StandardCharsets.UTF_8.decode(data).toString())
                                .orElse("")
                                .equals("corr-7")));
        // and on the response topic of source 001 as always
        assertThat(camera.answers("r-rpc")).hasSize(1);
    }

    private double metric(String name) {
        String text = client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        return text.lines()
                .filter(line -> line.startsWith(name))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static String code(JsonNode answer) {
        assertThat(answer.get("success").asBoolean()).isFalse();
        assertThat(answer.get("error_message").asString()).isNotBlank();
        return answer.get("error_code").asString();
    }
}
