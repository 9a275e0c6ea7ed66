package dev.projectdashboard.fileservice.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import dev.projectdashboard.starter.DevDefaults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.reactive.server.WebTestClient;

class DeviceUploadTests extends FileServiceTestSupport {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    @Test
    void presignsASinglePutWithSignedContentMd5ThatAPlainClientUsesThenVerifies() throws Exception {
        String device = "CAM_" + newTaskId().substring(5, 13);
        byte[] video = randomBytes(300_000, 11);
        String md5 = Base64.getEncoder()
                .encodeToString(MessageDigest.getInstance("MD5").digest(video));
        Map<String, Object> presigned = presign(Map.of(
                "device_id",
                device,
                "file_name",
                "motion_video.ts",
                "file_size",
                video.length,
                "content_type",
                "video/mp2t",
                "content_md5",
                md5,
                "expire_time",
                600));
        String key = (String) presigned.get("cloud_file_path");
        assertThat(key).matches(device + "/\\d{4}/\\d{2}/\\d{2}/\\d{6}_motion_video\\.ts");
        assertThat(presigned).containsEntry("method", "PUT").containsEntry("multipart", false);
        @SuppressWarnings("unchecked")
        Map<String, String> extra = (Map<String, String>) presigned.get("extra_headers");
        assertThat(extra).containsKeys("content-md5", "content-type");

        byte[] other = video.clone();
        other[0] ^= 1;
        assertThat(put((String) presigned.get("upload_url"), extra, other)).isIn(400, 403);
        assertThat(put((String) presigned.get("upload_url"), extra, video)).isEqualTo(200);

        verify(device, key, video.length + 1, null)
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.stored_size")
                .isEqualTo(video.length);
        verify(device, key, video.length, md5)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.verified")
                .isEqualTo(true);
        assertThat(liveRows(device)).isEqualTo(1);
        assertThat(fileEvents())
                .anySatisfy(event ->
                        assertThat(event).contains("\"type\":\"file.uploaded\"").contains(key));
    }

    @Test
    void signsAFullCloudPathFileNameAsThatKeyThenVerifiesAndRecordsItOnce() throws Exception {
        String device = "ESP32P4_" + newTaskId().substring(5, 13);
        String key = device + "/2025/07/11/143022_motion_video.ts";
        byte[] video = randomBytes(300_000, 13);
        // hex, as a camera computes it; the URL carries it base64 as Content-MD5
        String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(video));
        Map<String, Object> presigned = presign(Map.of(
                "device_id",
                device,
                "file_name",
                key,
                "file_size",
                video.length,
                "content_type",
                "video/mp2t",
                "content_md5",
                md5));
        assertThat(presigned)
                .containsEntry("object_key", key)
                .containsEntry("cloud_file_path", key)
                .containsEntry("multipart", false);
        assertThat(put(presigned, video)).isEqualTo(200);
        assertThat(s3().getObjectAsBytes(r -> r.bucket(stack().s3Bucket()).key(key))
                        .asByteArray())
                .isEqualTo(video);

        String otherMd5 =
                HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(new byte[1]));
        verify(device, key, video.length, otherMd5).expectStatus().isEqualTo(HttpStatus.CONFLICT);
        assertThat(liveRows(device)).isZero();
        for (int call = 0; call < 2; call++) {
            verify(device, key, video.length, md5)
                    .expectStatus()
                    .isOk()
                    .expectBody()
                    .jsonPath("$.verified")
                    .isEqualTo(true)
                    .jsonPath("$.object_key")
                    .isEqualTo(key);
        }
        assertThat(liveRows(device)).isEqualTo(1);
        assertThat(fileEvents())
                .filteredOn(event -> event.contains("\"type\":\"file.uploaded\"") && event.contains(key))
                .hasSize(1);

        post("", Map.of("device_id", "OTHER_CAM", "file_name", key, "file_size", video.length))
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("file_name");
    }

    @Test
    void signsTheSameKeyAgainWhenAskedForItsObjectKeyAfterTheFirstUrlExpired() throws Exception {
        String device = "ESP32P4_" + newTaskId().substring(5, 13);
        byte[] video = randomBytes(100_000, 14);
        Map<String, Object> first = presign(
                Map.of("device_id", device, "file_name", "retry.ts", "file_size", video.length, "expire_time", 1));
        String key = (String) first.get("object_key");
        assertThat(key).matches(device + "/\\d{4}/\\d{2}/\\d{2}/\\d{6}_retry\\.ts");
        // the camera was too slow: its URL is refused once expired
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> put(first, video) == 403);

        Map<String, Object> again = presign(
                Map.of("device_id", device, "file_name", "retry.ts", "file_size", video.length, "object_key", key));
        assertThat(again).containsEntry("object_key", key).containsEntry("cloud_file_path", key);
        assertThat(again.get("upload_url")).isNotEqualTo(first.get("upload_url"));
        assertThat(put(again, video)).isEqualTo(200);
        assertThat(objectKeys(device + "/")).containsExactly(key);
        verify(device, key, video.length, null).expectStatus().isOk();
        assertThat(liveRows(device)).isEqualTo(1);
    }

    @Test
    void givesOnePutUrlForAFileAboveTheFormerMultipartThreshold() throws Exception {
        String device = "ESP32P4_" + newTaskId().substring(5, 13);
        // above the 6MB these tests used to set as threshold, below their single-put-limit (10MB)
        byte[] video = randomBytes(7 * 1024 * 1024, 15);
        Map<String, Object> presigned = presign(Map.of(
                "device_id", device, "file_name", "big.ts", "file_size", video.length, "content_type", "video/mp2t"));
        assertThat(presigned)
                .containsEntry("multipart", false)
                .containsEntry("method", "PUT")
                .containsEntry("upload_id", null)
                .containsEntry("parts", null);
        assertThat(put(presigned, video)).isEqualTo(200);
        verify(device, presigned.get("object_key"), video.length, null)
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(video.length);
    }

    @Test
    void resumesAMultipartUploadByResendingOnlyTheMissingPart() throws Exception {
        String device = "CAM_" + newTaskId().substring(5, 13);
        // above the tests' single-put-limit (10MB): multipart without asking for it
        byte[] video = randomBytes(11 * 1024 * 1024 + 5, 12);
        Map<String, Object> presigned = presign(Map.of(
                "device_id", device, "file_name", "long.ts", "file_size", video.length, "content_type", "video/mp2t"));
        assertThat(presigned).containsEntry("multipart", true).containsEntry("part_count", 3);
        String key = (String) presigned.get("object_key");
        String uploadId = (String) presigned.get("upload_id");
        int partSize = ((Number) presigned.get("part_size")).intValue();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> parts = (List<Map<String, Object>>) presigned.get("parts");

        // part 2 is "dropped" by the network
        assertThat(putPart(parts.get(0), video, 0, partSize)).isEqualTo(200);
        assertThat(putPart(parts.get(2), video, 2 * partSize, video.length)).isEqualTo(200);

        Map<String, Object> status = client.get()
                .uri(
                        "/internal/v1/device-uploads/parts?object_key={k}&upload_id={u}&file_size={s}",
                        key,
                        uploadId,
                        video.length)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> missing = (List<Map<String, Object>>) status.get("missing");
        assertThat(missing).extracting(part -> part.get("part_number")).containsExactly(2);
        assertThat(putPart(missing.get(0), video, partSize, 2 * partSize)).isEqualTo(200);

        post(
                        "/complete",
                        Map.of(
                                "device_id",
                                device,
                                "object_key",
                                key,
                                "upload_id",
                                uploadId,
                                "file_size",
                                video.length))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(video.length);
        byte[] stored = s3().getObjectAsBytes(r -> r.bucket(stack().s3Bucket()).key(key))
                .asByteArray();
        assertThat(sha256(stored)).isEqualTo(sha256(video));
        assertThat(liveRows(device)).isEqualTo(1);
    }

    @Test
    void abortsAMultipartUploadAndRefusesForeignKeysAndMissingApiKeys() {
        String device = "CAM_" + newTaskId().substring(5, 13);
        Map<String, Object> presigned =
                presign(Map.of("device_id", device, "file_name", "a.ts", "file_size", 7_000_000, "multipart", true));
        assertThat(presigned).containsEntry("multipart", true).containsEntry("part_count", 2);
        post("/verify", Map.of("device_id", "OTHER", "object_key", presigned.get("object_key"), "file_size", 1))
                .expectStatus()
                .isBadRequest();
        post("/abort", Map.of("object_key", presigned.get("object_key"), "upload_id", presigned.get("upload_id")))
                .expectStatus()
                .isOk();
        assertThat(s3().listMultipartUploads(r -> r.bucket(stack().s3Bucket())).uploads())
                .noneMatch(upload -> upload.uploadId().equals(presigned.get("upload_id")));
        post("", Map.of("device_id", device, "file_name", "../x.ts", "file_size", 1))
                .expectStatus()
                .isBadRequest();
        client.post()
                .uri("/internal/v1/device-uploads")
                .bodyValue(Map.of("device_id", device, "file_name", "a.ts", "file_size", 1))
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }

    @Test
    void anUploadIdItDidNotStartForThatKeyIsNotFound() {
        String device = "CAM_" + newTaskId().substring(5, 13);
        Map<String, Object> presigned =
                presign(Map.of("device_id", device, "file_name", "b.ts", "file_size", 7_000_000, "multipart", true));
        String key = (String) presigned.get("object_key");
        String uploadId = (String) presigned.get("upload_id");
        String otherKey = "CAM_OTHER/2026/01/01/000000_b.ts";

        parts(key, "made-up-upload-id").expectStatus().isNotFound();
        parts(otherKey, uploadId).expectStatus().isNotFound();
        parts(key, uploadId).expectStatus().isOk();
        post(
                        "/complete",
                        Map.of("device_id", device, "object_key", key, "upload_id", "made-up", "file_size", 7_000_000))
                .expectStatus()
                .isNotFound();
        post("/abort", Map.of("object_key", key, "upload_id", "made-up"))
                .expectStatus()
                .isNotFound();

        post("/abort", Map.of("object_key", key, "upload_id", uploadId))
                .expectStatus()
                .isOk();
        parts(key, uploadId).expectStatus().isNotFound();
    }

    @Test
    void signsABatchOfRequestsEachUsableOnItsOwnAndRefusesOnlyTheBadOne() throws Exception {
        String device = "ESP32P4_" + newTaskId().substring(5, 13);
        String first = device + "/2025/07/11/143022_motion_video.ts";
        byte[] video = randomBytes(50_000, 12);
        byte[] picture = randomBytes(20_000, 13);

        Map<String, Object> batch = post(
                        "/batch",
                        Map.of(
                                "requests",
                                List.of(
                                        Map.of("device_id", device, "file_name", first, "file_size", video.length),
                                        Map.of(
                                                "device_id",
                                                device,
                                                "file_name",
                                                "OTHER_CAM/2025/07/11/143022_x.ts",
                                                "file_size",
                                                1),
                                        Map.of(
                                                "device_id",
                                                device,
                                                "file_name",
                                                "snapshot.jpg",
                                                "file_size",
                                                picture.length,
                                                "content_type",
                                                "image/jpeg"))))
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> results = (List<Map<String, Object>>) batch.get("results");
        assertThat(results).extracting(result -> result.get("status")).containsExactly(200, 400, 200);
        @SuppressWarnings("unchecked")
        Map<String, Object> video1 = (Map<String, Object>) results.get(0).get("upload");
        @SuppressWarnings("unchecked")
        Map<String, Object> snapshot = (Map<String, Object>) results.get(2).get("upload");
        assertThat(video1).containsEntry("cloud_file_path", first);
        assertThat((String) snapshot.get("cloud_file_path"))
                .matches(device + "/\\d{4}/\\d{2}/\\d{2}/\\d{6}_snapshot\\.jpg");
        assertThat(put(video1, video)).isEqualTo(200);
        assertThat(put(snapshot, picture)).isEqualTo(200);
        verify(device, first, video.length, null).expectStatus().isOk();
        verify(device, snapshot.get("cloud_file_path"), picture.length, null)
                .expectStatus()
                .isOk();
    }

    private WebTestClient.ResponseSpec parts(String key, String uploadId) {
        return client.get()
                .uri("/internal/v1/device-uploads/parts?object_key={k}&upload_id={u}&file_size=7000000", key, uploadId)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange();
    }

    private WebTestClient.ResponseSpec verify(String device, Object key, long size, String md5) {
        Map<String, Object> body = new HashMap<>(Map.of("device_id", device, "object_key", key, "file_size", size));
        if (md5 != null) {
            body.put("content_md5", md5);
        }
        return post("/verify", body);
    }

    private Map<String, Object> presign(Map<String, Object> body) {
        return post("", body)
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static int put(Map<String, Object> presigned, byte[] content) throws Exception {
        return put((String) presigned.get("upload_url"), (Map<String, String>) presigned.get("extra_headers"), content);
    }

    private WebTestClient.ResponseSpec post(String path, Map<String, Object> body) {
        return client.post()
                .uri("/internal/v1/device-uploads" + path)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .bodyValue(body)
                .exchange();
    }

    @SuppressWarnings("unchecked")
    private static int putPart(Map<String, Object> part, byte[] content, int from, int to) throws Exception {
        return put(
                (String) part.get("upload_url"),
                (Map<String, String>) part.get("headers"),
                Arrays.copyOfRange(content, from, Math.min(to, content.length)));
    }

    private static int put(String url, Map<String, String> headers, byte[] content) throws Exception {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
