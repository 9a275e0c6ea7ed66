package dev.projectdashboard.fileservice.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.fileservice.FileServiceTestSupport;
import dev.projectdashboard.starter.security.DevTokens;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;

/**
 * Source 000's direct upload as its client does it: {@code upload-url}, a plain PUT with {@code Content-Type}, then
 * {@code info} / {@code download} / the list, with no {@code confirm} call. Each PUT is recorded, and its
 * {@code file.uploaded} published, exactly once.
 */
class DirectUploadTests extends FileServiceTestSupport {

    private final String alice = DevTokens.userToken("alice", List.of("user"));
    private final String bob = DevTokens.userToken("bob", List.of("user"));

    @Autowired
    private PendingUploads pendingUploads;

    @Test
    void aFilePutThroughAnUploadUrlIsFoundByInfoDownloadAndTheListWithoutConfirm() throws Exception {
        String task = newTaskId();
        byte[] content = "scene data put straight to the store".getBytes(StandardCharsets.UTF_8);
        // docs/contracts.md, Files: POST /api/v1/files/upload-url?task_id=uuid&filename=scene.ma, then PUT with
        // Content-Type
        Map<String, Object> url = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=scene.ma");
        String key = (String) url.get("object_key");
        assertThat(key).matches("scenes/\\d{8}/" + task + "/scene\\.ma");
        assertThat(sourcePut((String) url.get("upload_url"), content)).isEqualTo(200);

        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.object_key")
                .isEqualTo(key)
                .jsonPath("$.size")
                .isEqualTo(content.length)
                .jsonPath("$.task_id")
                .isEqualTo(task)
                .jsonPath("$.uploaded_by")
                .isEqualTo("alice");
        client.get()
                .uri("/api/v1/files?task_id={task}", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.count")
                .isEqualTo(1)
                .jsonPath("$.files[0].object_key")
                .isEqualTo(key);
        Map<String, Object> download = get(alice, "/api/v1/files/download/" + task + "/scene.ma");
        HttpResponse<byte[]> fetched = HTTP.send(
                HttpRequest.newBuilder(URI.create((String) download.get("download_url")))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(fetched.body()).isEqualTo(content);

        assertThat(uploadedEvents(key)).singleElement().satisfies(event -> assertThat(event)
                .contains("\"user_id\":\"alice\"")
                .contains("\"size\":" + content.length));
        assertThat(awaitingUrls(task)).isZero();
    }

    @Test
    void concurrentFirstReadsRecordTheFileAndPublishItsEventOnce() throws Exception {
        String task = newTaskId();
        String key = putThroughUploadUrl(task, "race.ma", randomBytes(4096, 21));

        List<String> paths = List.of(
                "/api/v1/files/info/" + key,
                "/api/v1/files?task_id=" + task,
                "/api/v1/files/download/" + task + "/race.ma");
        List<CompletableFuture<HttpResponse<String>>> reads = IntStream.range(0, 12)
                .mapToObj(i -> HTTP.sendAsync(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + port + paths.get(i % 3)))
                                .header("Authorization", "Bearer " + alice)
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .toList();
        for (CompletableFuture<HttpResponse<String>> read : reads) {
            HttpResponse<String> response = read.get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.body()).contains(key);
        }
        assertThat(uploadedEvents(key)).hasSize(1);
        assertThat(liveRows(task)).isEqualTo(1);
    }

    @Test
    void theSweepRecordsAFileNobodyReadAndForgetsAnUrlThatExpiredUnused() throws Exception {
        String task = newTaskId();
        Map<String, Object> used = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=unread.ma");
        post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=never.ma&expire_time=1");
        String key = (String) used.get("object_key");
        assertThat(sourcePut((String) used.get("upload_url"), randomBytes(100, 22)))
                .isEqualTo(200);
        assertThat(awaitingUrls(task)).isEqualTo(2);

        // record-after (1 h in the tests) and the unused URL's grace (1 h after its expiry) have both passed
        pendingUploads.sweepOnce(Instant.now().plus(Duration.ofHours(2))).block(Duration.ofSeconds(30));

        assertThat(uploadedEvents(key)).hasSize(1);
        assertThat(liveRows(task)).isEqualTo(1);
        assertThat(awaitingUrls(task)).isZero();
        assertThat(unpublishedUrls(task)).isZero();
    }

    @Test
    void twoSweepsAtOnceRecordEachUploadOnce() throws Exception {
        String task = newTaskId();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            keys.add(putThroughUploadUrl(task, "part" + i + ".ma", randomBytes(10 + i, i)));
        }

        // two replicas sweeping at the same moment: each pending upload is leased by one of them
        Instant later = Instant.now().plus(Duration.ofHours(2));
        Mono.zip(pendingUploads.sweepOnce(later), pendingUploads.sweepOnce(later))
                .block(Duration.ofSeconds(30));

        for (String key : keys) {
            assertThat(uploadedEvents(key)).as(key).hasSize(1);
        }
        assertThat(liveRows(task)).isEqualTo(keys.size());
    }

    @Test
    void anUploadUrlUsedAgainNeverReplacesTheRecordedFile() throws Exception {
        String task = newTaskId();
        byte[] first = randomBytes(100, 30);
        Map<String, Object> url = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=reuse.ma");
        String key = (String) url.get("object_key");
        String uploadUrl = (String) url.get("upload_url");
        assertThat(sourcePut(uploadUrl, first)).isEqualTo(200);
        assertThat(get(alice, "/api/v1/files/info/" + key)).containsEntry("size", first.length);

        // the URL is valid for an hour more, but it writes a key of its own, never the file's
        assertThat(sourcePut(uploadUrl, randomBytes(200, 31))).isEqualTo(200);
        assertThat(get(alice, "/api/v1/files/info/" + key)).containsEntry("size", first.length);
        assertThat(downloaded(task, "reuse.ma")).isEqualTo(first);
        assertThat(objectKeys(stagingKey(uploadUrl))).hasSize(1);

        // once the URL expired, the sweep removes what the second PUT left
        pendingUploads.sweepOnce(Instant.now().plus(Duration.ofHours(3))).block(Duration.ofSeconds(30));
        assertThat(objectKeys(stagingKey(uploadUrl))).isEmpty();
        assertThat(pendingRows(task, "true")).isZero();
        assertThat(downloaded(task, "reuse.ma")).isEqualTo(first);
        assertThat(uploadedEvents(key)).hasSize(1);
    }

    @Test
    void ofTwoUrlsForOneNameOnlyOneObjectBecomesTheFileAndTheOtherIsDeleted() throws Exception {
        String task = newTaskId();
        Map<String, Object> one = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=twice.ma");
        Map<String, Object> two = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=twice.ma");
        String key = (String) one.get("object_key");
        byte[] a = randomBytes(100, 32);
        byte[] b = randomBytes(150, 33);
        assertThat(sourcePut((String) one.get("upload_url"), a)).isEqualTo(200);
        assertThat(sourcePut((String) two.get("upload_url"), b)).isEqualTo(200);

        Map<String, Object> info = get(alice, "/api/v1/files/info/" + key);
        byte[] expected = info.get("size").equals(a.length) ? a : b;
        assertThat(downloaded(task, "twice.ma")).isEqualTo(expected);
        assertThat(uploadedEvents(key)).hasSize(1);
        assertThat(liveRows(task)).isEqualTo(1);
        assertThat(awaitingUrls(task)).isZero();
        assertThat(objectKeys(stagingKey((String) one.get("upload_url")))).isEmpty();
        assertThat(objectKeys(stagingKey((String) two.get("upload_url")))).isEmpty();
    }

    @Test
    void aUrlWhoseTaskChangedHandsRecordsNothing() throws Exception {
        String task = newTaskId();
        Map<String, Object> bobs =
                post(bob, "/api/v1/files/upload-url?task_id=" + task + "&filename=bobs.ma&expire_time=3");
        assertThat(sourcePut((String) bobs.get("upload_url"), randomBytes(40, 34)))
                .isEqualTo(200);

        // once Bob's URL expired unread, the task is nobody's: Alice takes it
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> client.post()
                        .uri("/api/v1/files/upload-url?task_id={t}&filename=alices.ma", task)
                        .headers(h -> h.setBearerAuth(alice))
                        .exchange()
                        .returnResult(String.class)
                        .getStatus()
                        .is2xxSuccessful());
        get(alice, "/api/v1/files?task_id=" + task);

        // Bob's object is not recorded into Alice's task, and is deleted
        pendingUploads.sweepOnce(Instant.now().plus(Duration.ofHours(2))).block(Duration.ofSeconds(30));
        assertThat(objectKeys(stagingKey((String) bobs.get("upload_url")))).isEmpty();
        assertThat(uploadedEvents((String) bobs.get("object_key"))).isEmpty();
        assertThat(liveRows(task)).isZero();
        client.get()
                .uri("/api/v1/files/info/" + bobs.get("object_key"))
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void anUploadUrlGivenASizeSignsContentLengthSoTheStoreRefusesAnyOtherLength() throws Exception {
        String task = newTaskId();
        Map<String, Object> url =
                post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=sized.bin&size=10");
        String uploadUrl = (String) url.get("upload_url");
        assertThat(uploadUrl).containsIgnoringCase("content-length");

        assertThat(sourcePut(uploadUrl, new byte[11])).isEqualTo(403);
        assertThat(sourcePut(uploadUrl, new byte[9])).isEqualTo(403);
        assertThat(sourcePut(uploadUrl, new byte[10])).isEqualTo(200);

        client.post()
                .uri("/api/v1/files/upload-url?task_id={t}&filename=big.bin&size={s}", task, 13 * 1024 * 1024)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectBody()
                .jsonPath("$.max_size")
                .isEqualTo(12 * 1024 * 1024);
        client.post()
                .uri("/api/v1/files/upload-url?task_id={t}&filename=neg.bin&size=-1", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("size");
    }

    @Test
    void anObjectOverTheLimitPutThroughAnUploadUrlIsDeletedAndAnswered413() throws Exception {
        String task = newTaskId();
        String key = putThroughUploadUrl(task, "huge.bin", new byte[13 * 1024 * 1024]);

        client.get()
                .uri("/api/v1/files/info/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.max_size")
                .isEqualTo(12 * 1024 * 1024);
        assertThat(objectKeys(key)).isEmpty();
        assertThat(liveRows(task)).isZero();
        assertThat(pendingRows(task, "true")).isZero();
        assertThat(uploadedEvents(key)).isEmpty();
    }

    @Test
    void anUploadUrlForANameThatHoldsALiveFileIsAConflict() throws Exception {
        String task = newTaskId();
        putThroughUploadUrl(task, "once.ma", randomBytes(10, 23));
        get(alice, "/api/v1/files?task_id=" + task);

        client.post()
                .uri("/api/v1/files/upload-url?task_id={t}&filename=once.ma", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONFLICT);
    }

    @Test
    void anOutstandingUploadUrlBindsTheTaskToTheUserWhoAskedForIt() {
        String task = newTaskId();
        post(bob, "/api/v1/files/upload-url?task_id=" + task + "&filename=bobs.ma");

        client.post()
                .uri("/api/v1/files/upload-url?task_id={t}&filename=alices.ma", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isNotFound();
        client.get()
                .uri("/api/v1/files?task_id={t}", task)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isNotFound();
        assertThat(get(bob, "/api/v1/files?task_id=" + task)).containsEntry("count", 0);
    }

    @Test
    void confirmStaysOptionalAndAnswersAFileTheFirstReadRecorded() throws Exception {
        String task = newTaskId();
        Map<String, Object> url = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=both.ma");
        String key = (String) url.get("object_key");
        client.post()
                .uri("/api/v1/files/confirm?object_key={k}", key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isNotFound();

        assertThat(sourcePut((String) url.get("upload_url"), randomBytes(77, 24)))
                .isEqualTo(200);
        get(alice, "/api/v1/files/info/" + key);
        client.post()
                .uri("/api/v1/files/confirm?object_key={k}", key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.object_key")
                .isEqualTo(key)
                .jsonPath("$.size")
                .isEqualTo(77);
        assertThat(uploadedEvents(key)).hasSize(1);
    }

    @Test
    void deletingAFilePutThroughAnUploadUrlDeletesItWithoutAnEarlierRead() throws Exception {
        String task = newTaskId();
        String key = putThroughUploadUrl(task, "gone.ma", randomBytes(30, 25));

        client.delete()
                .uri("/api/v1/files/" + key)
                .headers(h -> h.setBearerAuth(alice))
                .exchange()
                .expectStatus()
                .isOk();
        assertThat(objectKeys(key)).isEmpty();
        assertThat(fileEvents())
                .anySatisfy(event ->
                        assertThat(event).contains("\"type\":\"file.deleted\"").contains(key));
        assertThat(awaitingUrls(task)).isZero();
    }

    @Test
    void aFileRecordedWhileTheEventBusIsDownGetsItsEventFromTheSweepOnce() throws Exception {
        String task = newTaskId();
        String key = putThroughUploadUrl(task, "later.ma", randomBytes(64, 26));

        stack().stopRedis();
        try {
            // the file is there, so the read answers it; its event waits in the pending row
            assertThat(get(alice, "/api/v1/files/info/" + key)).containsEntry("size", 64);
        } finally {
            stack().startRedis();
        }
        assertThat(uploadedEvents(key)).isEmpty();
        assertThat(unpublishedUrls(task)).isEqualTo(1);

        // after check-interval (the lease the recording took) a sweep publishes it, once the publisher has
        // reconnected: each try sweeps an hour later than the one before, past the lease the failed try took
        AtomicInteger tries = new AtomicInteger();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            pendingUploads
                    .sweepOnce(Instant.now().plus(Duration.ofHours(tries.incrementAndGet())))
                    .block(Duration.ofSeconds(30));
            assertThat(unpublishedUrls(task)).isZero();
        });
        pendingUploads.sweepOnce(Instant.now().plus(Duration.ofDays(1))).block(Duration.ofSeconds(30));
        assertThat(uploadedEvents(key)).hasSize(1);
    }

    @Test
    void aReadAnswers503WhileTheStoreIsDownAndRecordsTheFileOnceItIsBack() throws Exception {
        String task = newTaskId();
        String key = putThroughUploadUrl(task, "outage.ma", randomBytes(50, 27));

        stack().stopS3();
        try {
            client.get()
                    .uri("/api/v1/files?task_id={t}", task)
                    .headers(h -> h.setBearerAuth(alice))
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody()
                    .jsonPath("$.detail")
                    .isEqualTo("Object storage is unavailable");
        } finally {
            stack().startS3();
        }
        assertThat(get(alice, "/api/v1/files?task_id=" + task)).containsEntry("count", 1);
        assertThat(uploadedEvents(key)).hasSize(1);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /** Alice's upload URL for {@code fileName}, and a source-000 PUT of {@code content} through it; the key. */
    private String putThroughUploadUrl(String task, String fileName, byte[] content) throws Exception {
        Map<String, Object> url = post(alice, "/api/v1/files/upload-url?task_id=" + task + "&filename=" + fileName);
        assertThat(sourcePut((String) url.get("upload_url"), content)).isEqualTo(200);
        return (String) url.get("object_key");
    }

    /** The bucket key an upload URL writes (path-style URL: {@code /{bucket}/{key}}). */
    private static String stagingKey(String uploadUrl) {
        String path = URI.create(uploadUrl).getPath();
        return path.substring(path.indexOf('/', 1) + 1);
    }

    private byte[] downloaded(String task, String fileName) throws Exception {
        Map<String, Object> download = get(alice, "/api/v1/files/download/" + task + "/" + fileName);
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create((String) download.get("download_url")))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray())
                .body();
    }

    /** A PUT as docs/contracts.md (Files) describes it: the URL, {@code Content-Type}, the bytes. */
    private static int sourcePut(String uploadUrl, byte[] content) throws Exception {
        return HTTP.send(
                        HttpRequest.newBuilder(URI.create(uploadUrl))
                                .header("Content-Type", "application/octet-stream")
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(content))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private Map<String, Object> post(String token, String uri) {
        return okJson(HttpMethod.POST, token, uri);
    }

    private Map<String, Object> get(String token, String uri) {
        return okJson(HttpMethod.GET, token, uri);
    }

    private static List<String> uploadedEvents(String key) {
        return fileEvents().stream()
                .filter(event -> event.contains("\"type\":\"file.uploaded\""))
                .filter(event -> event.contains("\"object_key\":\"" + key + "\""))
                .toList();
    }

    /** The task's upload URLs whose object is not recorded yet. */
    private long awaitingUrls(String taskId) {
        return pendingRows(taskId, "recorded_at is null");
    }

    /** The task's upload URLs whose file.uploaded is not out yet. */
    private long unpublishedUrls(String taskId) {
        return pendingRows(taskId, "published_at is null");
    }

    private long pendingRows(String taskId, String condition) {
        return database.sql("select count(*) from pending_upload where task_id = :task and " + condition)
                .bind("task", taskId)
                .map(row -> row.get(0, Long.class))
                .one()
                .block();
    }
}
