package dev.projectdashboard.devicebridge.storage;

import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.UploadAnswer;
import dev.projectdashboard.devicebridge.domain.UploadRefused;
import dev.projectdashboard.devicebridge.upload.Presigner;
import dev.projectdashboard.starter.batch.Batcher;
import dev.projectdashboard.starter.security.DashboardSecurityProperties;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;

/**
 * file-service's internal device-upload API ({@code /internal/v1/device-uploads}, docs/file-service.md), which signs
 * the URLs and checks the objects. Its refusals become the device's error codes (400 {@code INVALID_REQUEST}, 413
 * {@code FILE_TOO_LARGE}, 415 {@code UNSUPPORTED_TYPE}); anything else, a timeout or no connection, is
 * {@code STORAGE_UNAVAILABLE}, which tells the device to retry.
 */
@Component
class FileServiceClient implements Presigner {

    private static final Logger log = LoggerFactory.getLogger(FileServiceClient.class);

    private static final String PATH = "/internal/v1/device-uploads";

    private final WebClient client;
    private final FileServiceProperties properties;
    private final Clock clock;
    private final Batcher<Call, Signed> presignCalls;

    FileServiceClient(FileServiceProperties properties, DashboardSecurityProperties security, Clock clock) {
        this.properties = properties;
        this.clock = clock;
        int connectMillis = (int)
                Math.max(1, Math.min(Integer.MAX_VALUE, properties.timeout().toMillis()));
        HttpClient http = HttpClient.create(ConnectionProvider.builder("file-service")
                        .maxConnections(properties.maxConnections())
                        .pendingAcquireMaxCount(-1)
                        .maxIdleTime(properties.maxIdleTime())
                        .build())
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .responseTimeout(properties.timeout());
        String base = properties.url().endsWith("/")
                ? properties.url().substring(0, properties.url().length() - 1)
                : properties.url();
        this.client = WebClient.builder()
                .baseUrl(base)
                .clientConnector(new ReactorClientHttpConnector(http))
                .defaultHeader("X-Api-Key", security.apiKey())
                .build();
        this.presignCalls = new Batcher<>(
                "file-service presign", this::presignAll, properties.presignBatch(), properties.presignCalls());
    }

    @Override
    public Mono<Presigned> presign(Call call) {
        return presignCalls
                .submit(call)
                .onErrorMap(
                        error -> !(error instanceof UploadRefused),
                        error -> new UploadRefused(
                                ErrorCode.STORAGE_UNAVAILABLE, "Storage is unavailable; retry later", error))
                .flatMap(signed ->
                        signed.refused() != null ? Mono.error(signed.refused()) : Mono.just(signed.presigned()));
    }

    /** One request's answer in a batch: what it was signed, or why not. */
    private record Signed(Presigned presigned, UploadRefused refused) {}

    /**
     * Signs a batch in one call ({@code POST /internal/v1/device-uploads/batch}); each request keeps its own answer
     * or refusal. A batch file-service cannot answer is {@code STORAGE_UNAVAILABLE} for each of its requests.
     */
    private Mono<List<Signed>> presignAll(List<Call> calls) {
        List<Map<String, Object>> requests = new ArrayList<>(calls.size());
        calls.forEach(call -> requests.add(presignBody(call)));
        return exchange(client.post()
                        .uri(PATH + "/batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("requests", requests)))
                .map(body -> {
                    List<Signed> signed = new ArrayList<>(calls.size());
                    for (JsonNode result : body.path("results")) {
                        int status = result.path("status").asInt();
                        signed.add(
                                status == 200
                                        ? new Signed(presigned(result.path("upload")), null)
                                        : new Signed(null, refusal(status, problemDetail(result.path("problem")))));
                    }
                    return signed;
                });
    }

    private static Map<String, Object> presignBody(Call call) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", call.deviceId());
        body.put("file_name", call.fileName());
        if (call.objectKey() != null) {
            body.put("object_key", call.objectKey());
        }
        body.put("file_size", call.fileSize());
        body.put("content_type", call.contentType());
        if (call.contentMd5() != null) {
            body.put("content_md5", call.contentMd5());
        }
        body.put("expire_time", call.expirySeconds());
        body.put("multipart", call.multipart());
        return body;
    }

    @Override
    public Mono<Presigned> resume(
            String deviceId, String objectKey, String uploadId, long fileSize, long expirySeconds) {
        return exchange(client.get().uri(builder -> builder.path(PATH + "/parts")
                        .queryParam("object_key", "{key}")
                        .queryParam("upload_id", "{upload}")
                        .queryParam("file_size", fileSize)
                        .queryParam("expire_time", expirySeconds)
                        .build(objectKey, uploadId)))
                .map(status -> new Presigned(
                        true,
                        null,
                        "PUT",
                        null,
                        status.path("object_key").asString(),
                        clock.instant().getEpochSecond() + expirySeconds,
                        Map.of(),
                        uploadId,
                        status.path("part_size").asLong(),
                        status.path("part_count").asInt(),
                        parts(status.path("missing"))));
    }

    @Override
    public Mono<Verification> complete(String deviceId, String objectKey, String uploadId, long fileSize) {
        return check(
                PATH + "/complete",
                Map.of("device_id", deviceId, "object_key", objectKey, "upload_id", uploadId, "file_size", fileSize));
    }

    @Override
    public Mono<Verification> verify(String deviceId, String objectKey, long fileSize, String contentMd5) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", deviceId);
        body.put("object_key", objectKey);
        body.put("file_size", fileSize);
        if (contentMd5 != null) {
            body.put("content_md5", contentMd5);
        }
        return check(PATH + "/verify", body);
    }

    /** 200 verified; 409 (mismatch) and 404 (no such object) are answers, not failures. */
    private Mono<Verification> check(String path, Map<String, Object> body) {
        return client.post()
                .uri(path)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> {
                    HttpStatus status = HttpStatus.resolve(response.statusCode().value());
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.releaseBody().thenReturn(new Verification(true, null));
                    }
                    if (status == HttpStatus.CONFLICT || status == HttpStatus.NOT_FOUND) {
                        return detail(response)
                                .map(detail -> new Verification(false, detail))
                                .defaultIfEmpty(new Verification(false, status.getReasonPhrase()));
                    }
                    return detail(response)
                            .defaultIfEmpty("")
                            .flatMap(detail -> Mono.error(new IllegalStateException("file-service answered "
                                    + response.statusCode().value() + " " + detail)));
                })
                .timeout(properties.timeout());
    }

    private Mono<JsonNode> exchange(WebClient.RequestHeadersSpec<?> request) {
        return request.exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(JsonNode.class);
                    }
                    return detail(response)
                            .defaultIfEmpty("")
                            .flatMap(detail ->
                                    Mono.error(refusal(response.statusCode().value(), detail)));
                })
                .timeout(properties.timeout())
                .onErrorMap(error -> !(error instanceof UploadRefused), error -> {
                    log.warn("file-service did not answer: {}", error.toString());
                    return new UploadRefused(
                            ErrorCode.STORAGE_UNAVAILABLE, "Storage is unavailable; retry later", error);
                });
    }

    private static UploadRefused refusal(int status, String detail) {
        return switch (status) {
            case 400 -> new UploadRefused(ErrorCode.INVALID_REQUEST, detail.isEmpty() ? "Invalid request" : detail);
            case 413 -> new UploadRefused(ErrorCode.FILE_TOO_LARGE, detail.isEmpty() ? "File too large" : detail);
            case 415 ->
                new UploadRefused(ErrorCode.UNSUPPORTED_TYPE, detail.isEmpty() ? "Content type not allowed" : detail);
            default -> {
                log.warn("file-service answered {}: {}", status, detail);
                yield new UploadRefused(ErrorCode.STORAGE_UNAVAILABLE, "Storage is unavailable; retry later");
            }
        };
    }

    /** The problem's {@code detail} and, for a 400, the first field error's reason. */
    private static Mono<String> detail(ClientResponse response) {
        return response.bodyToMono(JsonNode.class)
                .map(FileServiceClient::problemDetail)
                .onErrorResume(unreadable -> Mono.empty());
    }

    private static String problemDetail(JsonNode problem) {
        JsonNode errors = problem.path("errors");
        if (errors.isArray() && !errors.isEmpty()) {
            JsonNode first = errors.get(0);
            return (first.path("field").asString("") + " "
                            + first.path("message").asString(""))
                    .trim();
        }
        return problem.path("detail").asString("").trim();
    }

    private static Presigned presigned(JsonNode body) {
        Map<String, String> headers = new LinkedHashMap<>();
        body.path("extra_headers")
                .properties()
                .forEach(entry -> headers.put(entry.getKey(), entry.getValue().asString()));
        boolean multipart = body.path("multipart").asBoolean(false);
        return new Presigned(
                multipart,
                text(body, "upload_url"),
                body.path("method").asString("PUT"),
                text(body, "content_type"),
                text(body, "cloud_file_path"),
                body.path("expires_at").asLong(),
                headers,
                text(body, "upload_id"),
                body.hasNonNull("part_size") ? body.get("part_size").asLong() : null,
                body.hasNonNull("part_count") ? body.get("part_count").asInt() : null,
                multipart ? parts(body.path("parts")) : null);
    }

    private static List<UploadAnswer.Part> parts(JsonNode parts) {
        List<UploadAnswer.Part> list = new ArrayList<>();
        for (JsonNode part : parts) {
            Map<String, String> headers = new LinkedHashMap<>();
            part.path("headers")
                    .properties()
                    .forEach(entry ->
                            headers.put(entry.getKey(), entry.getValue().asString()));
            list.add(new UploadAnswer.Part(
                    part.path("part_number").asInt(),
                    part.path("upload_url").asString(),
                    part.path("method").asString("PUT"),
                    headers));
        }
        return list;
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : node.asString();
    }
}
