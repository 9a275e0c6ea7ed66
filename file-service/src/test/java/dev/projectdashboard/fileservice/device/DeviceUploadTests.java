package dev.projectdashboard.fileservice.device;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import dev.projectdashboard.starter.DevDefaults;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
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
        Map<String, Object> presigned = post(
                        "",
                        Map.of(
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
                                600))
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
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

        post("/verify", Map.of("device_id", device, "object_key", key, "file_size", video.length + 1))
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT)
                .expectBody()
                .jsonPath("$.stored_size")
                .isEqualTo(video.length);
        post("/verify", Map.of("device_id", device, "object_key", key, "file_size", video.length, "content_md5", md5))
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
    void resumesAMultipartUploadByResendingOnlyTheMissingPart() throws Exception {
        String device = "CAM_" + newTaskId().substring(5, 13);
        byte[] video = randomBytes(11 * 1024 * 1024 + 5, 12);
        Map<String, Object> presigned = post(
                        "",
                        Map.of(
                                "device_id",
                                device,
                                "file_name",
                                "long.ts",
                                "file_size",
                                video.length,
                                "content_type",
                                "video/mp2t"))
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
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
        Map<String, Object> presigned = post(
                        "", Map.of("device_id", device, "file_name", "a.ts", "file_size", 7_000_000))
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
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
        Map<String, Object> presigned = post(
                        "", Map.of("device_id", device, "file_name", "b.ts", "file_size", 7_000_000))
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
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

    private WebTestClient.ResponseSpec parts(String key, String uploadId) {
        return client.get()
                .uri("/internal/v1/device-uploads/parts?object_key={k}&upload_id={u}&file_size=7000000", key, uploadId)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange();
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
