package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import dev.projectdashboard.starter.security.DevTokens;
import io.netty.util.IllegalReferenceCountException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Hooks;
import software.amazon.awssdk.core.sync.RequestBody;

class FileApiTests extends FileServiceTestSupport {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {};

    private final String alice = DevTokens.userToken("alice", List.of("user"));
    private final String bob = DevTokens.userToken("bob", List.of("user"));
    private final String admin = DevTokens.adminToken("root");

    @Test
    void streamsAMultipartSizedUploadAndServesItBackThroughAPresignedUrlWithEqualSha256() throws Exception {
        String task = newTaskId();
        byte[] content = randomBytes(11 * 1024 * 1024 + 123, 1);

        Map<String, Object> uploaded = upload(alice, task, "scene.ma", "application/octet-stream", content, null)
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        String key = (String) uploaded.get("object_key");
        assertThat(key).matches("scenes/\\d{8}/" + task + "/scene\\.ma");
        assertThat(uploaded)
                .containsEntry("filename", "scene.ma")
                .containsEntry("size", content.length)
                .containsEntry("checksum_sha256", sha256(content))
                .containsEntry("message", "File uploaded successfully");
        // no public base URL is configured here: the store's endpoint is internal, so there is no url to give
        assertThat(uploaded).containsEntry("url", null);
        assertThat(fileEvents()).noneMatch(event -> event.contains(stack().s3Endpoint()));
        assertThat(objectKeys("scenes/")).contains(key);

        Map<String, Object> download = client.get()
                .uri("/api/v1/files/download/{task}/{name}?expire_time=60", task, "scene.ma")
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
        assertThat(download).containsEntry("object_key", key).containsEntry("expires_in", 60);
        HttpResponse<byte[]> fetched = HTTP.send(
                HttpRequest.newBuilder(URI.create((String) download.get("download_url")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.statusCode()).isEqualTo(200);
        assertThat(sha256(fetched.body())).isEqualTo(sha256(content));
        assertThat(fetched.headers().firstValue("Content-Disposition"))
                .hasValueSatisfying(
                        value -> assertThat(value).contains("attachment").contains("scene.ma"));

        assertThat(fileEvents()).anySatisfy(event -> assertThat(event)
                .contains("\"type\":\"file.uploaded\"")
                .contains(key)
                .contains("alice"));

        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(content.length)
                .jsonPath("$.etag")
                .isNotEmpty()
                .jsonPath("$.metadata.task-id")
                .isEqualTo(task);
        client.get()
                .uri("/api/v1/files?task_id={task}", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.files[0].object_key")
                .isEqualTo(key);

        client.delete()
                .uri("/api/v1/files/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.deleted")
                .isEqualTo(true);
        assertThat(objectKeys(key)).isEmpty();
        assertThat(fileEvents())
                .anySatisfy(event ->
                        assertThat(event).contains("\"type\":\"file.deleted\"").contains(key));
        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void storesRenderResultsUnderTheResultFolderAndRefusesADuplicateName() {
        String task = newTaskId();
        upload(alice, task, "frame_001.png", "image/png", randomBytes(2048, 2), "result")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.object_key")
                .value(key -> assertThat((String) key).startsWith("results/"))
                .jsonPath("$.kind")
                .isEqualTo("result");
        upload(alice, task, "frame_001.png", "image/png", randomBytes(10, 3), "result")
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void presignedPutThenConfirmThenGetWithAPlainHttpClient() throws Exception {
        String task = newTaskId();
        byte[] content = "scene data".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> url = uploadUrl(alice, task, "scene.ma", 300);
        assertThat(url).containsEntry("method", "PUT").containsEntry("expires_in", 300);
        assertThat(put(url, content).statusCode()).isEqualTo(200);

        client.post()
                .uri("/api/v1/files/confirm?object_key={key}", url.get("object_key"))
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(content.length);

        String downloadUrl = (String) client.get()
                .uri("/api/v1/files/download/{task}/scene.ma", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("download_url");
        HttpResponse<byte[]> fetched = HTTP.send(
                HttpRequest.newBuilder(URI.create(downloadUrl)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.body()).isEqualTo(content);
    }

    @Test
    void anExpiredOrTamperedUploadUrlIsRefusedByTheObjectStore() throws Exception {
        String task = newTaskId();
        Map<String, Object> url = uploadUrl(alice, task, "late.ma", 1);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(250))
                .untilAsserted(
                        () -> assertThat(put(url, new byte[] {1}).statusCode()).isEqualTo(403));

        Map<String, Object> fresh = new java.util.HashMap<>(uploadUrl(alice, task, "tampered.ma", 300));
        String signed = (String) fresh.get("upload_url");
        int at = signed.indexOf("X-Amz-Signature=") + "X-Amz-Signature=".length();
        char flipped = signed.charAt(at) == '0' ? '1' : '0';
        fresh.put("upload_url", signed.substring(0, at) + flipped + signed.substring(at + 1));
        assertThat(put(fresh, new byte[] {1}).statusCode()).isEqualTo(403);
        assertThat(objectKeys("scenes/")).noneMatch(key -> key.endsWith(task + "/tampered.ma"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../escape.ma",
                "..",
                ".",
                "/etc/passwd",
                "a\\b.ma",
                "nul\u0000.ma",
                "tab\t.ma",
                "LONG",
                "a%2Fb.txt",
                "what?.ma",
                "hash#.ma"
            })
    void refusesUnsafeFileNamesWritingNothing(String name) {
        String fileName = name.equals("LONG") ? "x".repeat(300) : name;
        String task = newTaskId();
        upload(alice, task, fileName, "application/octet-stream", randomBytes(100, 4), null)
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post()
                .uri(b -> b.path("/api/v1/files/upload-url")
                        .queryParam("task_id", task)
                        .queryParam("filename", "{name}")
                        .build(fileName))
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isBadRequest();
        assertThat(objectKeys("")).noneMatch(key -> key.contains(task));
        assertThat(liveRows(task)).isZero();
    }

    @Test
    void aKeyStoredBeforeTheNameRulesIsReadAndDeletedWithTheKeyAsAParameter() {
        String task = newTaskId();
        String key = "scenes/20260101/" + task + "/a%2Fb.txt";
        s3().putObject(put -> put.bucket(stack().s3Bucket()).key(key), RequestBody.fromString("legacy"));
        database.sql("insert into file_object (object_key, kind, folder, task_id, file_name, content_type, size_bytes,"
                        + " etag, checksum_sha256, uploaded_by, created_at) values (:key, 'scene', 'scenes', :task,"
                        + " 'a%2Fb.txt', 'text/plain', 6, '', '', 'alice', now())")
                .bind("key", key)
                .bind("task", task)
                .then()
                .block();

        client.get()
                .uri(b -> b.path("/api/v1/files/info")
                        .queryParam("object_key", "{key}")
                        .build(key))
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.object_key")
                .isEqualTo(key)
                .jsonPath("$.size")
                .isEqualTo(6);
        client.delete()
                .uri(b -> b.path("/api/v1/files")
                        .queryParam("object_key", "{key}")
                        .build(key))
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(objectKeys(key)).isEmpty();
    }

    /**
     * A refused body used to be released twice (explicitly, then by the DataBuffer discard hook Spring puts into
     * the handler's context). Its buffers are slices sharing the reference count of Netty's inbound buffer, so the
     * second release freed memory Netty was still decoding into (Reactor Netty then reported
     * {@code IllegalReferenceCountException: refCnt: 0} through onErrorDropped) - memory that other in-flight
     * uploads could be handed. Each buffer must be released exactly once.
     */
    @Test
    void aRefusedUploadReleasesEachInboundBufferExactlyOnce() {
        List<Throwable> dropped = new CopyOnWriteArrayList<>();
        Hooks.onErrorDropped(dropped::add);
        try {
            for (int i = 0; i < 3; i++) {
                upload(alice, newTaskId(), "../escape.ma", "application/octet-stream", randomBytes(200_000, i), null)
                        .expectStatus()
                        .isBadRequest();
                upload(alice, newTaskId(), "a.bin", "application/x-unknown", randomBytes(200_000, i), null)
                        .expectStatus()
                        .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
            }
            byte[] content = randomBytes(300_000, 9);
            upload(alice, newTaskId(), "after.bin", "application/octet-stream", content, null)
                    .expectStatus()
                    .isOk()
                    .expectBody(JSON)
                    .value(body -> assertThat(body)
                            .containsEntry("size", content.length)
                            .containsEntry("checksum_sha256", sha256(content)));
            assertThat(dropped).noneMatch(error -> error instanceof IllegalReferenceCountException);
        } finally {
            Hooks.resetOnErrorDropped();
        }
    }

    /**
     * Uploads alongside refused ones. Before each buffer had one owner, the refused requests freed Netty's shared
     * inbound buffers while they were still being decoded: here that showed as reset connections and 500s on the
     * other requests; every stored file must keep its exact size and checksum.
     */
    @Test
    void uploadsRacingRefusedUploadsKeepEveryByte() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                running.add(pool.submit(() -> {
                    for (int i = 0; i < 3; i++) {
                        byte[] content = randomBytes(2 * 1024 * 1024 + seed * 1000 + i, 100 + seed * 10 + i);
                        upload(alice, newTaskId(), "raced.bin", "application/octet-stream", content, null)
                                .expectStatus()
                                .isOk()
                                .expectBody(JSON)
                                .value(body -> assertThat(body)
                                        .containsEntry("size", content.length)
                                        .containsEntry("checksum_sha256", sha256(content)));
                    }
                }));
                running.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        upload(alice, newTaskId(), "../x.ma", "application/octet-stream", randomBytes(100_000, i), null)
                                .expectStatus()
                                .isBadRequest();
                    }
                }));
            }
            for (Future<?> task : running) {
                task.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refusesAContentTypeOffTheAllowList() {
        String task = newTaskId();
        upload(alice, task, "run.sh", "application/x-sh", randomBytes(10, 5), null)
                .expectStatus()
                .isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE);
        assertThat(liveRows(task)).isZero();
    }

    @Test
    void refusesAnOversizedUploadByItsContentLength() {
        String task = newTaskId();
        upload(alice, task, "big.ma", "application/octet-stream", randomBytes(13 * 1024 * 1024, 6), null)
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(objectKeys("")).noneMatch(key -> key.contains(task));
        assertThat(liveRows(task)).isZero();
    }

    @Test
    void refusesAnOversizedChunkedUploadOnTheStreamedBytes() throws Exception {
        String task = newTaskId();
        String boundary = "b0undary";
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.ma\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        List<java.nio.ByteBuffer> chunks = new ArrayList<>();
        chunks.add(java.nio.ByteBuffer.wrap(head));
        for (int i = 0; i < 13 * 16; i++) { // 13 MiB in 64 KiB chunks, no Content-Length
            chunks.add(java.nio.ByteBuffer.wrap(randomBytes(64 * 1024, i)));
        }
        chunks.add(java.nio.ByteBuffer.wrap(tail));
        Flow.Publisher<java.nio.ByteBuffer> body =
                subscriber -> reactor.adapter.JdkFlowAdapter.publisherToFlowPublisher(
                                reactor.core.publisher.Flux.fromIterable(chunks))
                        .subscribe(subscriber);
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/files/upload?task_id=" + task))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + alice)
                .header(HttpHeaders.CONTENT_TYPE, "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.fromPublisher(body))
                .timeout(Duration.ofSeconds(30))
                .build();
        int status;
        try {
            status = HTTP.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
        } catch (java.net.http.HttpTimeoutException hanging) {
            throw new AssertionError("no answer to an oversized upload", hanging);
        } catch (java.io.IOException connectionClosedWhileSending) {
            status = 413; // the server answered and closed before the client finished sending; checked below
        }
        assertThat(status).isEqualTo(413);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(s3().listMultipartUploads(r -> r.bucket(stack().s3Bucket()))
                                .uploads())
                        .noneMatch(upload -> upload.key().contains(task)));
        assertThat(objectKeys("")).noneMatch(key -> key.contains(task));
        assertThat(liveRows(task)).isZero();
    }

    @Test
    void othersGetNotFoundAdminsSeeEverythingAnonymousGetsUnauthorized() {
        String task = newTaskId();
        String key = (String) upload(alice, task, "own.ma", "application/octet-stream", randomBytes(10, 7), null)
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody()
                .get("object_key");

        client.get()
                .uri("/api/v1/files?task_id={t}", task)
                .headers(h -> h.setBearerAuth(bob))
                .exchange()
                .expectStatus()
                .isNotFound();
        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(bob))
                .exchange()
                .expectStatus()
                .isNotFound();
        client.get()
                .uri("/api/v1/files/download/{t}/own.ma", task)
                .headers(h -> h.setBearerAuth(bob))
                .exchange()
                .expectStatus()
                .isNotFound();
        client.delete()
                .uri("/api/v1/files/" + key)
                .headers(h -> h.setBearerAuth(bob))
                .exchange()
                .expectStatus()
                .isNotFound();
        upload(bob, task, "intruder.ma", "application/octet-stream", randomBytes(10, 8), null)
                .expectStatus()
                .isNotFound();
        client.get()
                .uri("/api/v1/files?task_id={t}", task)
                .exchange()
                .expectStatus()
                .isUnauthorized();
        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(admin))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(objectKeys(key)).containsExactly(key);
    }

    @Test
    void answers503WhileTheObjectStoreIsDownAndWritesNothing() {
        String task = newTaskId();
        stack().stopS3();
        try {
            upload(alice, task, "down.ma", "application/octet-stream", randomBytes(1000, 9), null)
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
        assertThat(liveRows(task)).isZero();
    }

    @Test
    void answers503WhileTheEventBusIsDownAndKeepsNothing() {
        String task = newTaskId();
        stack().stopRedis();
        try {
            upload(alice, task, "nobus.ma", "application/octet-stream", randomBytes(1000, 10), null)
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            stack().startRedis();
        }
        assertThat(liveRows(task)).isZero();
        assertThat(objectKeys("")).noneMatch(key -> key.contains(task));
    }

    private WebTestClient.ResponseSpec upload(
            String token, String task, String fileName, String contentType, byte[] content, String kind) {
        // the form is built by hand: WebTestClient's multipart writer draws its boundary from SecureRandom on the
        // event loop, which BlockHound (rightly) flags
        String boundary = "test-boundary-7f3a9c";
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                        + "\"\r\nContent-Type: " + contentType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        form.writeBytes(content);
        form.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return client.post()
                .uri(b -> b.path("/api/v1/files/upload")
                        .queryParam("task_id", task)
                        .queryParamIfPresent("kind", java.util.Optional.ofNullable(kind))
                        .build())
                .headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.parseMediaType("multipart/form-data; boundary=" + boundary))
                .bodyValue(form.toByteArray())
                .exchange();
    }

    private Map<String, Object> uploadUrl(String token, String task, String name, long expiry) {
        return client.post()
                .uri(
                        "/api/v1/files/upload-url?task_id={t}&filename={n}&content_type=application/octet-stream&expire_time={e}",
                        task,
                        name,
                        expiry)
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    @SuppressWarnings("unchecked")
    private static HttpResponse<String> put(Map<String, Object> url, byte[] content) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create((String) url.get("upload_url")))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        ((Map<String, String>) url.get("headers")).forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
