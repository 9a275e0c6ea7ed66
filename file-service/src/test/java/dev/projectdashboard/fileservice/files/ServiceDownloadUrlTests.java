package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@code POST /internal/v1/files/download-url} as push-service calls it for {@code {{file_url}}}: a task's files
 * uploaded by a user through the public API, asked for with the API key by name or by key, and fetched through the
 * answered URL with a plain HTTP client.
 */
class ServiceDownloadUrlTests extends FileServiceTestSupport {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private final String alice = DevTokens.userToken("alice", List.of("user"));

    @Test
    void servesAResultFileOfSomeonesTaskByNameAndByKeyForOneHourUnlessAskedOtherwise() throws Exception {
        String task = newTaskId();
        byte[] content = randomBytes(70_000, 41);
        String key = upload(task, "result", "frame_001.png", content);

        Instant asked = Instant.now();
        Map<String, Object> byName = downloadUrl(task, "frame_001.png", null);
        assertThat(byName)
                .containsEntry("object_key", key)
                .containsEntry("filename", "frame_001.png")
                .containsEntry("expires_in", 3600);
        assertThat(Instant.parse((String) byName.get("expires_at")))
                .isCloseTo(asked.plusSeconds(3600), within(60, ChronoUnit.SECONDS));
        assertThat(fetch(byName)).isEqualTo(content);

        Map<String, Object> byKey = downloadUrl(task, key, 60L);
        assertThat(byKey)
                .containsEntry("object_key", key)
                .containsEntry("filename", "frame_001.png")
                .containsEntry("expires_in", 60);
        assertThat(fetch(byKey)).isEqualTo(content);
    }

    @Test
    void prefersTheResultFileOfANameAndElseServesTheSceneFileOfThatName() throws Exception {
        String task = newTaskId();
        byte[] scene = randomBytes(1000, 42);
        byte[] result = randomBytes(1000, 43);
        upload(task, "scene", "frame.png", scene);
        String resultKey = upload(task, "result", "frame.png", result);
        byte[] input = "the task's input".getBytes(StandardCharsets.UTF_8);
        String inputKey = upload(task, "scene", "invoice.txt", input);

        Map<String, Object> frame = downloadUrl(task, "frame.png", null);
        assertThat(frame).containsEntry("object_key", resultKey);
        assertThat(fetch(frame)).isEqualTo(result);

        Map<String, Object> invoice = downloadUrl(task, "invoice.txt", null);
        assertThat(invoice).containsEntry("object_key", inputKey);
        assertThat(fetch(invoice)).isEqualTo(input);
    }

    @Test
    void aFileOfAnotherTaskAnUnknownNameAndADeletedFileAreNotFound() {
        String task = newTaskId();
        String other = newTaskId();
        String key = upload(task, "result", "frame_001.png", randomBytes(100, 44));

        expectNotFound(ask(other, "frame_001.png", null));
        expectNotFound(ask(other, key, null));
        expectNotFound(ask(task, "frame_002.png", null));
        expectNotFound(ask(task, key.replace("/frame_001.png", "/frame_002.png"), null));

        client.delete()
                .uri("/api/v1/files/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk();
        expectNotFound(ask(task, "frame_001.png", null));
        expectNotFound(ask(task, key, null));
    }

    @Test
    void findsFilesPutThroughUploadUrlsThatNobodyConfirmedByNameAndByKey() throws Exception {
        String task = newTaskId();
        byte[] first = randomBytes(5000, 45);
        byte[] second = randomBytes(6000, 46);
        String firstKey = putThroughUploadUrl(task, "frame_001.png", first);
        String secondKey = putThroughUploadUrl(task, "frame_002.png", second);
        // the sweep is an hour away in the tests: only the read itself can have recorded them
        assertThat(liveRows(task)).isZero();

        Map<String, Object> byName = downloadUrl(task, "frame_001.png", null);
        assertThat(byName).containsEntry("object_key", firstKey);
        assertThat(fetch(byName)).isEqualTo(first);

        Map<String, Object> byKey = downloadUrl(task, secondKey, null);
        assertThat(byKey).containsEntry("object_key", secondKey);
        assertThat(fetch(byKey)).isEqualTo(second);
        assertThat(liveRows(task)).isEqualTo(2);
    }

    @Test
    void answers503WhileTheStoreIsDownForAnUnrecordedUploadAndServesItOnceTheStoreIsBack() throws Exception {
        String task = newTaskId();
        byte[] content = randomBytes(300, 47);
        putThroughUploadUrl(task, "late.png", content);

        stack().stopS3();
        try {
            ask(task, "late.png", null)
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("Object storage is unavailable");
        } finally {
            stack().startS3();
        }
        assertThat(fetch(downloadUrl(task, "late.png", null))).isEqualTo(content);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private WebTestClient.ResponseSpec ask(String task, String file, Long expireTime) {
        Map<String, Object> body = new HashMap<>(Map.of("task_id", task, "file", file));
        if (expireTime != null) {
            body.put("expire_time", expireTime);
        }
        return client.post()
                .uri("/internal/v1/files/download-url")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .bodyValue(body)
                .exchange();
    }

    private Map<String, Object> downloadUrl(String task, String file, Long expireTime) {
        return ask(task, file, expireTime)
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private static void expectNotFound(WebTestClient.ResponseSpec response) {
        response.expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .isEqualTo("No such file or task");
    }

    /** GETs a download URL as a webhook receiver would: no credentials but the URL's signature. */
    private static byte[] fetch(Map<String, Object> downloadUrl) throws Exception {
        HttpResponse<byte[]> fetched = HTTP.send(
                HttpRequest.newBuilder(URI.create((String) downloadUrl.get("download_url")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        return fetched.body();
    }

    /** Alice's multipart upload through the public API; the stored object's key. */
    private String upload(String task, String kind, String fileName, byte[] content) {
        // built by hand: WebTestClient's multipart writer draws its boundary from SecureRandom on the event loop
        String boundary = "service-url-boundary";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(content);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return (String) client.post()
                .uri("/api/v1/files/upload?task_id={task}&kind={kind}", task, kind)
                .headers(h -> h.setBearerAuth(alice))
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .bodyValue(form.toByteArray())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("object_key");
    }

    /** Alice's upload URL for a result file and a plain PUT through it, with no confirm; the file's key. */
    private String putThroughUploadUrl(String task, String fileName, byte[] content) throws Exception {
        Map<String, Object> url = okJson(
                HttpMethod.POST,
                alice,
                "/api/v1/files/upload-url?task_id=" + task + "&filename=" + fileName + "&kind=result");
        int status = HTTP.send(
                        HttpRequest.newBuilder(URI.create((String) url.get("upload_url")))
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
        assertThat(status).isEqualTo(200);
        return (String) url.get("object_key");
    }
}
