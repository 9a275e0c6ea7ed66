package dev.projectdashboard.devicebridge.camera;

import dev.projectdashboard.localstack.LocalStack;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedPutObjectRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for file-service's internal device API (docs/file-service.md) in device-bridge's tests: it signs real
 * PUT URLs on the local stack's S3 and HEADs the real objects, so a simulated camera really uploads. Its answers
 * follow file-service's contract; file-service's own tests prove file-service keeps it, and the CI smoke runs a
 * camera against both services. Tests can hold its answers ({@link #hold()}) or make it unavailable.
 */
public final class FileServiceStub implements AutoCloseable {

    /** A content type device-bridge allows and this stand-in refuses, as file-service's own list may. */
    public static final String REFUSED_TYPE = "video/x-refused-by-store";

    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("yyyy/MM/dd/HHmmss").withZone(ZoneOffset.UTC);

    private final JsonMapper json = JsonMapper.builder().build();
    private final S3Presigner presigner;
    private final S3Client s3;
    private final String bucket;
    private final DisposableServer server;
    private final LoopResources loops;
    private final AtomicReference<CompletableFuture<Void>> gate =
            new AtomicReference<>(CompletableFuture.completedFuture(null));
    private volatile boolean unavailable;
    private final AtomicInteger presigns = new AtomicInteger();
    private final List<Integer> batches = new CopyOnWriteArrayList<>();

    public FileServiceStub(LocalStack stack) {
        AwsBasicCredentials credentials = AwsBasicCredentials.create(stack.s3AccessKey(), stack.s3SecretKey());
        S3Configuration pathStyle =
                S3Configuration.builder().pathStyleAccessEnabled(true).build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .serviceConfiguration(pathStyle)
                .build();
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(stack.s3Endpoint()))
                .region(Region.of(stack.s3Region()))
                .credentialsProvider(StaticCredentialsProvider.create(credentials))
                .serviceConfiguration(pathStyle)
                .httpClient(UrlConnectionHttpClient.create())
                .build();
        this.bucket = stack.s3Bucket();
        try {
            s3.createBucket(create -> create.bucket(bucket));
        } catch (SdkException exists) {
            // made by an earlier test class
        }
        // its own event loop: a Spring context closing in this JVM disposes Reactor Netty's global one
        this.loops = LoopResources.create("file-service-stub", 1, true);
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/internal/v1/device-uploads", this::presign)
                        .post("/internal/v1/device-uploads/batch", this::presignAll)
                        .post("/internal/v1/device-uploads/verify", this::verify))
                .bindNow();
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Answers nothing until {@link #release()}; requests already answered are unaffected. */
    public void hold() {
        gate.set(new CompletableFuture<>());
    }

    public void release() {
        gate.get().complete(null);
    }

    /** Every call answers 503, as file-service does without its store. */
    public void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    /** How many presign requests were signed, alone or in a batch. */
    public int presigns() {
        return presigns.get();
    }

    /** The size of each batch call that arrived, in order. */
    public List<Integer> batches() {
        return List.copyOf(batches);
    }

    public S3Client s3() {
        return s3;
    }

    public String bucket() {
        return bucket;
    }

    private Mono<Void> presign(HttpServerRequest request, HttpServerResponse response) {
        return received(request).flatMap(bytes -> {
            if (unavailable) {
                return problem(response, 503, "Storage is unavailable");
            }
            presigns.incrementAndGet();
            return send(response, 200, sign(json.readTree(bytes)));
        });
    }

    /** file-service's batch call: one answer per request, in order, each {@code {status, upload}}. */
    private Mono<Void> presignAll(HttpServerRequest request, HttpServerResponse response) {
        return received(request).flatMap(bytes -> {
            if (unavailable) {
                return problem(response, 503, "Storage is unavailable");
            }
            JsonNode requests = json.readTree(bytes).path("requests");
            batches.add(requests.size());
            List<Map<String, Object>> results = new ArrayList<>();
            for (JsonNode one : requests) {
                if (REFUSED_TYPE.equals(one.path("content_type").asString())) {
                    results.add(Map.of(
                            "status",
                            415,
                            "problem",
                            Map.of("status", 415, "detail", "Content type not allowed by the store")));
                    continue;
                }
                presigns.incrementAndGet();
                results.add(Map.of("status", 200, "upload", sign(one)));
            }
            return send(response, 200, Map.of("results", results));
        });
    }

    /** The body, once the test lets answers through, on a thread that may block (the S3 SDK's signer). */
    private Mono<byte[]> received(HttpServerRequest request) {
        return request.receive()
                .aggregate()
                .asByteArray()
                .flatMap(bytes -> Mono.fromFuture(gate.get()).thenReturn(bytes))
                .publishOn(Schedulers.boundedElastic());
    }

    private Map<String, Object> sign(JsonNode body) {
        String deviceId = body.path("device_id").asString();
        String fileName = body.path("file_name").asString();
        String key = body.hasNonNull("object_key")
                ? body.get("object_key").asString()
                : fileName.contains("/") ? fileName : deviceId + "/" + KEY_TIME.format(Instant.now()) + "_" + fileName;
        String contentType = body.path("content_type").asString("application/octet-stream");
        long expiry = body.path("expire_time").asLong(3600);
        PresignedPutObjectRequest signed = presigner.presignPutObject(put -> put.signatureDuration(
                        Duration.ofSeconds(expiry))
                .putObjectRequest(object -> object.bucket(bucket).key(key).contentType(contentType)));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("multipart", false);
        answer.put("upload_url", signed.url().toString());
        answer.put("method", "PUT");
        answer.put("content_type", contentType);
        answer.put("cloud_file_path", key);
        answer.put("object_key", key);
        answer.put("expires_at", signed.expiration().getEpochSecond());
        answer.put("expires_in", expiry);
        answer.put("extra_headers", Map.of("Content-Type", contentType));
        return answer;
    }

    private Mono<Void> verify(HttpServerRequest request, HttpServerResponse response) {
        return request.receive()
                .aggregate()
                .asByteArray()
                .publishOn(Schedulers.boundedElastic())
                .flatMap(bytes -> {
                    if (unavailable) {
                        return problem(response, 503, "Storage is unavailable");
                    }
                    JsonNode body = json.readTree(bytes);
                    String key = body.path("object_key").asString();
                    long size = body.path("file_size").asLong();
                    HeadObjectResponse head;
                    try {
                        head = s3.headObject(object -> object.bucket(bucket).key(key));
                    } catch (SdkException missing) {
                        return problem(response, 404, "No such object");
                    }
                    if (head.contentLength() != size) {
                        return problem(
                                response,
                                409,
                                "Size mismatch: the store has " + head.contentLength() + " bytes, expected " + size);
                    }
                    return send(response, 200, Map.of("verified", true, "object_key", key));
                });
    }

    private Mono<Void> problem(HttpServerResponse response, int status, String detail) {
        return send(response, status, Map.of("status", status, "detail", detail));
    }

    private Mono<Void> send(HttpServerResponse response, int status, Object body) {
        return response.status(status)
                .header("Content-Type", "application/json")
                .sendByteArray(Mono.just(json.writeValueAsBytes(body)))
                .then();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
        presigner.close();
        s3.close();
    }
}
