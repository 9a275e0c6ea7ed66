package dev.projectdashboard.devicebridge.upload;

import dev.projectdashboard.devicebridge.domain.CloudPaths;
import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.devicebridge.domain.UploadAnswer;
import dev.projectdashboard.devicebridge.domain.UploadRefused;
import dev.projectdashboard.devicebridge.domain.UploadRequest;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.DeviceUploadRequested;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers one upload request (docs/device-bridge.md, Upload requests): the device must be registered and enabled and
 * within its rate, the file within the limits, the name safe; then file-service signs the URL. A request id seen
 * before gets the same upload again: the stored answer while its URL is valid, a fresh URL for the same object key
 * afterwards. Every failure is an answer with an {@code error_code}, never an error signal.
 */
@Service
public class UploadRequests {

    private static final Logger log = LoggerFactory.getLogger(UploadRequests.class);

    /** An answer whose URL expires sooner than this is not repeated: the device could not finish with it. */
    private static final Duration MIN_REMAINING = Duration.ofMinutes(1);

    static final String EVENT_SOURCE = "/device-bridge";

    private final DeviceRegistry registry;
    private final RateLimiter rateLimiter;
    private final Presigner presigner;
    private final UploadStore store;
    private final EventPublisher events;
    private final UploadProperties properties;
    private final JsonMapper json;
    private final Clock clock;

    UploadRequests(
            DeviceRegistry registry,
            RateLimiter rateLimiter,
            Presigner presigner,
            UploadStore store,
            EventPublisher events,
            UploadProperties properties,
            JsonMapper json,
            Clock clock) {
        this.registry = registry;
        this.rateLimiter = rateLimiter;
        this.presigner = presigner;
        this.store = store;
        this.events = events;
        this.properties = properties;
        this.json = json;
        this.clock = clock;
    }

    public Mono<UploadAnswer> answer(UploadRequest request) {
        String deviceId = request.deviceId();
        return registry.requireEnabled(deviceId)
                .then(Mono.defer(() -> registry.seen(deviceId)))
                .then(checkRate(deviceId))
                .then(Mono.defer(() -> {
                    String contentType = checkedContentType(request);
                    // most requests are new: sign first and let the insert tell a repeat (one database round trip,
                    // not two). A multipart request is looked up first, as signing one starts an upload in the store.
                    Mono<Upload> known = request.multipart() ? store.find(deviceId, request.requestId()) : Mono.empty();
                    return known.flatMap(existing -> repeat(existing, request))
                            .switchIfEmpty(Mono.defer(() -> first(request, contentType)));
                }))
                .onErrorResume(
                        UploadRefused.class,
                        refused -> Mono.just(
                                UploadAnswer.refused(request.requestId(), refused.code(), refused.getMessage())));
    }

    private Mono<Void> checkRate(String deviceId) {
        return rateLimiter
                .tryAcquire(deviceId, properties.rateLimit(), properties.rateWindow())
                .flatMap(allowed -> allowed
                        ? Mono.<Void>empty()
                        : Mono.error(new UploadRefused(
                                ErrorCode.RATE_LIMITED,
                                "More than " + properties.rateLimit() + " requests in " + properties.rateWindow()
                                        + "; retry later")));
    }

    private String checkedContentType(UploadRequest request) {
        if (request.fileSize() > properties.maxFileSize().toBytes()) {
            throw new UploadRefused(
                    ErrorCode.FILE_TOO_LARGE,
                    "file_size " + request.fileSize() + " is above the limit of "
                            + properties.maxFileSize().toBytes() + " bytes");
        }
        String nameProblem = CloudPaths.problem(request.deviceId(), request.fileName());
        if (nameProblem != null) {
            throw new UploadRefused(ErrorCode.INVALID_REQUEST, nameProblem);
        }
        String contentType =
                request.contentType() != null ? request.contentType() : ContentTypes.of(request.fileName());
        if (!properties.allows(contentType)) {
            throw new UploadRefused(ErrorCode.UNSUPPORTED_TYPE, "Content type not allowed: " + contentType);
        }
        return contentType;
    }

    private Mono<UploadAnswer> first(UploadRequest request, String contentType) {
        Presigner.Call call = new Presigner.Call(
                request.deviceId(),
                request.fileName(),
                null,
                request.fileSize(),
                contentType,
                request.contentMd5(),
                request.multipart(),
                properties.urlExpiry().toSeconds());
        return presigner.presign(call).flatMap(presigned -> {
            UploadAnswer answer = answerOf(request.requestId(), presigned);
            Upload upload = Upload.requested(
                    request.deviceId(),
                    request.requestId(),
                    presigned.objectKey(),
                    request.fileName(),
                    presigned.contentType(),
                    request.fileSize(),
                    request.priority(),
                    request.contentMd5(),
                    presigned.multipart(),
                    presigned.uploadId(),
                    write(answer),
                    Instant.ofEpochSecond(presigned.expiresAt()),
                    clock.instant());
            return store.insert(upload)
                    .flatMap(inserted -> inserted
                            ? publishRequested(request, upload).thenReturn(answer)
                            // answered before (a retry of the device, or another replica first): repeat that answer
                            : store.find(upload.deviceId(), upload.requestId())
                                    .flatMap(stored -> repeat(stored, request)));
        });
    }

    private Mono<UploadAnswer> repeat(Upload existing, UploadRequest request) {
        Instant now = clock.instant();
        if (existing.response() != null
                && existing.urlExpiresAt() != null
                && existing.urlExpiresAt().isAfter(now.plus(MIN_REMAINING))) {
            return store.repeated(
                            existing.deviceId(),
                            existing.requestId(),
                            existing.response(),
                            existing.urlExpiresAt(),
                            now)
                    .thenReturn(read(existing.response()));
        }
        long expiry = properties.urlExpiry().toSeconds();
        Mono<Presigner.Presigned> fresh = existing.multipart() && existing.uploadId() != null
                ? presigner.resume(
                        existing.deviceId(), existing.objectKey(), existing.uploadId(), existing.fileSize(), expiry)
                : presigner.presign(new Presigner.Call(
                        existing.deviceId(),
                        existing.fileName(),
                        existing.objectKey(),
                        existing.fileSize(),
                        existing.contentType(),
                        existing.contentMd5(),
                        false,
                        expiry));
        return fresh.flatMap(presigned -> {
            UploadAnswer answer = answerOf(request.requestId(), presigned);
            return store.repeated(
                            existing.deviceId(),
                            existing.requestId(),
                            write(answer),
                            Instant.ofEpochSecond(presigned.expiresAt()),
                            now)
                    .thenReturn(answer);
        });
    }

    private Mono<Void> publishRequested(UploadRequest request, Upload stored) {
        DeviceUploadRequested data = new DeviceUploadRequested(
                request.deviceId(),
                request.requestId(),
                request.fileName(),
                request.fileSize(),
                request.priority().value(),
                request.timestamp(),
                request.metadata(),
                stored.objectKey(),
                stored.urlExpiresAt().getEpochSecond());
        CloudEvent<DeviceUploadRequested> event = CloudEvent.of(
                EventTypes.DEVICE_UPLOAD_REQUESTED, EVENT_SOURCE, "device:" + request.deviceId(), data, clock);
        // the answer does not wait on Redis: the device needs its URL even while the event bus is down
        events.publish(event)
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .subscribe(
                        id -> {},
                        error -> log.error(
                                "device.upload_requested for {}/{} not published: {}",
                                request.deviceId(),
                                request.requestId(),
                                error.toString()));
        return Mono.empty();
    }

    private static UploadAnswer answerOf(String requestId, Presigner.Presigned presigned) {
        return new UploadAnswer(
                true,
                requestId,
                presigned.uploadUrl(),
                presigned.method(),
                presigned.contentType(),
                presigned.objectKey(),
                presigned.expiresAt(),
                presigned.extraHeaders(),
                presigned.multipart() ? Boolean.TRUE : null,
                presigned.uploadId(),
                presigned.partSize(),
                presigned.partCount(),
                presigned.parts(),
                null,
                null);
    }

    private String write(UploadAnswer answer) {
        return json.writeValueAsString(answer);
    }

    private UploadAnswer read(String stored) {
        try {
            return json.readValue(stored, UploadAnswer.class);
        } catch (JacksonException e) {
            throw new UploadRefused(ErrorCode.STORAGE_UNAVAILABLE, "Stored answer unreadable; retry", e);
        }
    }
}
