package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.domain.FileProperties;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.files.FileRecorder;
import dev.projectdashboard.fileservice.persistence.DeviceMultipartUploads;
import dev.projectdashboard.fileservice.persistence.FileRepository;
import dev.projectdashboard.fileservice.storage.S3ObjectStore;
import dev.projectdashboard.fileservice.storage.UrlSigner;
import dev.projectdashboard.starter.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Part;

/**
 * Presigned uploads for cameras (docs/contracts.md, Cameras over MQTT): the device PUTs straight to the store,
 * file-service only signs and afterwards verifies and records. A file gets one PUT URL (source 001's firmware PUTs
 * once) unless the request asks for a multipart upload or the file is larger than one PUT may be: then one presigned
 * URL per part, so after a network drop a camera lists the parts the store already has and re-sends only the missing
 * ones.
 */
@Service
public class DeviceUploadService {

    /** S3 allows at most 10 000 parts. */
    private static final int MAX_PARTS = 10_000;

    private final S3ObjectStore store;
    private final UrlSigner signer;
    private final FileRepository files;
    private final FileRecorder recorder;
    private final FileProperties properties;
    private final DeviceMultipartUploads multipartUploads;
    private final Clock clock;

    DeviceUploadService(
            S3ObjectStore store,
            UrlSigner signer,
            FileRepository files,
            FileRecorder recorder,
            FileProperties properties,
            DeviceMultipartUploads multipartUploads,
            Clock clock) {
        this.store = store;
        this.signer = signer;
        this.files = files;
        this.recorder = recorder;
        this.properties = properties;
        this.multipartUploads = multipartUploads;
        this.clock = clock;
    }

    /**
     * A URL for one PUT, or a multipart upload when the request asks for one or the file is larger than
     * {@code dashboard.files.device.single-put-limit}. The key is the request's {@code object_key}, else its
     * {@code file_name} when that is a full key, else built from the clock; the request's constraints have already
     * checked that these keys are the device's own.
     */
    public Mono<DeviceUploads.Presigned> presign(DeviceUploads.PresignRequest request) {
        String deviceId = request.deviceId();
        long size = size(request.fileSize());
        String contentType = contentType(request.contentType());
        Duration expiry =
                request.expireTime() == null ? properties.defaultExpiry() : Duration.ofSeconds(request.expireTime());
        String key = key(request);
        FileProperties.Device device = properties.device();
        if (!request.asksForMultipart() && size <= device.singlePutLimit().toBytes()) {
            String md5 = ContentMd5.Check.base64(request.contentMd5());
            UrlSigner.Signed signed = signer.put(key, expiry, put -> {
                put.contentType(contentType);
                if (md5 != null) {
                    put.contentMD5(md5);
                }
                if (!device.storageClass().isBlank()) {
                    put.storageClass(device.storageClass());
                }
                if (!device.serverSideEncryption().isBlank()) {
                    put.serverSideEncryption(device.serverSideEncryption());
                }
            });
            return Mono.just(new DeviceUploads.Presigned(
                    true,
                    false,
                    signed.url(),
                    signed.method(),
                    contentType,
                    key,
                    key,
                    signed.expiresAt().getEpochSecond(),
                    expiry.toSeconds(),
                    signed.headers(),
                    null,
                    null,
                    null,
                    null));
        }
        long partSize = device.partSize().toBytes();
        int partCount = partCount(size, partSize);
        CreateMultipartUploadRequest.Builder create = CreateMultipartUploadRequest.builder();
        if (!device.storageClass().isBlank()) {
            create.storageClass(device.storageClass());
        }
        if (!device.serverSideEncryption().isBlank()) {
            create.serverSideEncryption(device.serverSideEncryption());
        }
        create.metadata(Map.of("device-id", deviceId));
        return store.createMultipartUpload(key, contentType, create)
                .flatMap(uploadId -> multipartUploads
                        .started(uploadId, key, deviceId, size)
                        .onErrorResume(error -> store.abortMultipartUpload(key, uploadId)
                                .onErrorResume(ignored -> Mono.empty())
                                .then(Mono.error(new ProblemException(
                                        HttpStatus.SERVICE_UNAVAILABLE,
                                        "File metadata is unavailable; retry later",
                                        error))))
                        .thenReturn(uploadId))
                .map(uploadId -> {
                    List<DeviceUploads.Part> parts = IntStream.rangeClosed(1, partCount)
                            .mapToObj(number -> part(key, uploadId, number, expiry))
                            .toList();
                    Instant expiresAt = clock.instant().plus(expiry);
                    return new DeviceUploads.Presigned(
                            true,
                            true,
                            null,
                            "PUT",
                            contentType,
                            key,
                            key,
                            expiresAt.getEpochSecond(),
                            expiry.toSeconds(),
                            Map.of(),
                            uploadId,
                            partSize,
                            partCount,
                            parts);
                });
    }

    private String key(DeviceUploads.PresignRequest request) {
        if (request.objectKey() != null) {
            return request.objectKey();
        }
        String fileName = request.fileName();
        return DeviceKey.isPath(fileName) ? fileName : DeviceKey.build(request.deviceId(), clock.instant(), fileName);
    }

    /** What the store already has of a multipart upload, and fresh URLs for the parts still missing. */
    public Mono<DeviceUploads.PartsStatus> parts(String objectKey, String uploadId, Long fileSize, Long expireTime) {
        DeviceKey.parse("object_key", objectKey);
        requireUploadId(uploadId);
        long size = size(fileSize);
        Duration expiry = FileNames.expiry(expireTime, properties.defaultExpiry());
        long partSize = properties.device().partSize().toBytes();
        int partCount = partCount(size, partSize);
        return known(uploadId, objectKey)
                .then(store.listParts(objectKey, uploadId))
                .map(listed -> {
                    List<DeviceUploads.UploadedPart> uploaded = listed.parts().stream()
                            .map(part -> new DeviceUploads.UploadedPart(
                                    part.partNumber(), unquote(part.eTag()), part.size()))
                            .toList();
                    Set<Integer> present =
                            listed.parts().stream().map(Part::partNumber).collect(Collectors.toSet());
                    List<DeviceUploads.Part> missing = IntStream.rangeClosed(1, partCount)
                            .filter(number -> !present.contains(number))
                            .mapToObj(number -> part(objectKey, uploadId, number, expiry))
                            .toList();
                    return new DeviceUploads.PartsStatus(objectKey, uploadId, partSize, partCount, uploaded, missing);
                });
    }

    /** Completes a multipart upload, then verifies and records it like {@link #verify}. */
    public Mono<DeviceUploads.Verified> complete(DeviceUploads.CompleteRequest request) {
        String deviceId = request.deviceId();
        requireOwnKey(deviceId, request.objectKey());
        long size = size(request.fileSize());
        Mono<List<CompletedPart>> parts = request.parts() == null
                        || request.parts().isEmpty()
                ? store.listParts(request.objectKey(), request.uploadId()).map(listed -> listed.parts().stream()
                        .map(part -> CompletedPart.builder()
                                .partNumber(part.partNumber())
                                .eTag(part.eTag())
                                .build())
                        .toList())
                : Mono.just(request.parts().stream()
                        .map(part -> CompletedPart.builder()
                                .partNumber(part.partNumber())
                                .eTag(part.etag())
                                .build())
                        .sorted((a, b) -> Integer.compare(a.partNumber(), b.partNumber()))
                        .toList());
        int expectedParts = partCount(size, properties.device().partSize().toBytes());
        return known(request.uploadId(), request.objectKey())
                .then(parts)
                .flatMap(list -> {
                    if (list.size() != expectedParts) {
                        return Mono.error(new ProblemException(
                                        HttpStatus.CONFLICT,
                                        "The upload has " + list.size() + " of " + expectedParts + " parts")
                                .with("part_count", expectedParts));
                    }
                    return store.completeMultipartUpload(request.objectKey(), request.uploadId(), list);
                })
                .then(verify(new DeviceUploads.VerifyRequest(deviceId, request.objectKey(), size, null)))
                .flatMap(verified ->
                        multipartUploads.finished(request.uploadId()).thenReturn(verified));
    }

    /** An upload id file-service started for that key; anything else is as unknown as a made-up one (404). */
    private Mono<Void> known(String uploadId, String objectKey) {
        return multipartUploads
                .exists(uploadId, objectKey)
                .flatMap(found -> found
                        ? Mono.<Void>empty()
                        : Mono.error(new ProblemException(HttpStatus.NOT_FOUND, "No such upload")));
    }

    public Mono<Void> abort(DeviceUploads.AbortRequest request) {
        return known(request.uploadId(), request.objectKey())
                .then(store.abortMultipartUpload(request.objectKey(), request.uploadId()))
                .then(multipartUploads.finished(request.uploadId()));
    }

    /**
     * HEADs the object and compares it with what the device says it sent: size, and the MD5 when given and the
     * object is a single PUT (a multipart ETag is not an MD5). A mismatch is a 409 and nothing is recorded.
     */
    public Mono<DeviceUploads.Verified> verify(DeviceUploads.VerifyRequest request) {
        String deviceId = request.deviceId();
        String fileName = requireOwnKey(deviceId, request.objectKey());
        long size = size(request.fileSize());
        String md5 = ContentMd5.Check.base64(request.contentMd5());
        String key = request.objectKey();
        return store.head(key).flatMap(head -> {
            if (head.size() != size) {
                return Mono.error(new ProblemException(
                                HttpStatus.CONFLICT,
                                "Size mismatch: the store has " + head.size() + " bytes, expected " + size)
                        .with("stored_size", head.size())
                        .with("expected_size", size));
            }
            String etag = head.etag();
            if (md5 != null && etag != null && !etag.contains("-")) {
                String expectedHex =
                        HexFormat.of().formatHex(Base64.getDecoder().decode(md5));
                if (!expectedHex.equalsIgnoreCase(etag)) {
                    return Mono.error(new ProblemException(HttpStatus.CONFLICT, "MD5 mismatch"));
                }
            }
            DeviceUploads.Verified verified =
                    new DeviceUploads.Verified(true, key, recorder.url(key), head.size(), etag, head.contentType());
            return files.findLive(key).map(existing -> verified).switchIfEmpty(Mono.defer(() -> recorder.record(
                            new FileRecord(
                                    key,
                                    FileKind.DEVICE,
                                    deviceId,
                                    deviceId,
                                    fileName,
                                    head.contentType(),
                                    head.size(),
                                    etag,
                                    null,
                                    "device:" + deviceId,
                                    clock.instant()),
                            false)
                    .thenReturn(verified)));
        });
    }

    private DeviceUploads.Part part(String key, String uploadId, int number, Duration expiry) {
        UrlSigner.Signed signed = signer.uploadPart(key, uploadId, number, expiry);
        return new DeviceUploads.Part(number, signed.url(), signed.method(), signed.headers());
    }

    private String contentType(String requested) {
        String type = requested == null || requested.isBlank() ? "application/octet-stream" : requested;
        if (!properties.allows(type)) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not allowed: " + type);
        }
        return type;
    }

    private long size(Long fileSize) {
        if (fileSize == null || fileSize < 0) {
            throw FileNames.invalid("file_size", DeviceUploads.SIZE_RULE);
        }
        if (fileSize > properties.maxSize().toBytes()) {
            throw new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "The file is larger than the limit")
                    .with("max_size", properties.maxSize().toBytes());
        }
        return fileSize;
    }

    private static int partCount(long size, long partSize) {
        long count = Math.max(1, (size + partSize - 1) / partSize);
        if (count > MAX_PARTS) {
            throw FileNames.invalid("file_size", "needs more than " + MAX_PARTS + " parts of " + partSize + " bytes");
        }
        return (int) count;
    }

    /** Hand-written, not a constraint: it compares two fields of the request. */
    private static String requireOwnKey(String deviceId, String objectKey) {
        DeviceKey key = DeviceKey.parse("object_key", objectKey);
        if (!key.deviceId().equals(deviceId)) {
            throw FileNames.invalid("object_key", "must belong to device_id");
        }
        return key.fileName();
    }

    private static void requireUploadId(String uploadId) {
        if (uploadId == null || uploadId.isBlank() || uploadId.length() > 1024) {
            throw FileNames.invalid("upload_id", "must be given");
        }
    }

    private static String unquote(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }
}
