package dev.projectdashboard.devicebridge.status;

import dev.projectdashboard.devicebridge.domain.CloudPaths;
import dev.projectdashboard.devicebridge.domain.StatusReport;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import dev.projectdashboard.devicebridge.upload.Presigner;
import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.DeviceUploadCompleted;
import dev.projectdashboard.eventbus.payload.DeviceUploadFailed;
import dev.projectdashboard.eventbus.payload.DeviceUploadProgress;
import dev.projectdashboard.eventbus.payload.DeviceUploadStarted;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Turns status reports ({@code devices/{id}/status/upload}) into upload state and {@code device.*} events, so that a
 * browser sees progress bars move (docs/device-bridge.md, Upload status). A report is matched to an upload of the same
 * device: {@code upload_started} by its {@code cloud_path}, the later ones by the local {@code file_path} it named. A
 * report that matches none, or names another device's path, is refused and counted, not stored. On
 * {@code upload_completed} file-service checks the object (size, and MD5 when given); a mismatch fails the upload.
 */
@Service
public class StatusUpdates {

    private static final Logger log = LoggerFactory.getLogger(StatusUpdates.class);

    static final String EVENT_SOURCE = "/device-bridge";

    /** Why a report was not taken; the {@code reason} tag of the refusal counter. */
    public static final String UNKNOWN_UPLOAD = "unknown_upload";

    public static final String OTHER_DEVICE = "other_device";

    private final StatusStore store;
    private final Presigner presigner;
    private final EventPublisher events;
    private final DeviceRegistry registry;
    private final MeterRegistry meters;
    private final Clock clock;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    StatusUpdates(
            StatusStore store,
            Presigner presigner,
            EventPublisher events,
            DeviceRegistry registry,
            MeterRegistry meters,
            Clock clock) {
        this.store = store;
        this.presigner = presigner;
        this.events = events;
        this.registry = registry;
        this.meters = meters;
        this.clock = clock;
    }

    /**
     * Applies the report after the device's earlier ones on this replica; completes when it is stored and its event is
     * on the stream (or it was refused).
     */
    public Mono<Void> apply(String deviceId, StatusReport report) {
        return Mono.defer(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> before = tails.put(deviceId, mine);
            Mono<Void> wait =
                    before == null ? Mono.empty() : Mono.fromFuture(before).onErrorResume(e -> Mono.empty());
            return wait.then(applyNow(deviceId, report)).doFinally(signal -> {
                mine.complete(null);
                tails.remove(deviceId, mine);
            });
        });
    }

    private Mono<Void> applyNow(String deviceId, StatusReport report) {
        return match(deviceId, report)
                // a report that overtook the one naming its file (another replica still applying it) gets a moment
                .retryWhen(Retry.backoff(3, Duration.ofMillis(100))
                        .filter(error -> error instanceof Refused refused
                                && refused.getMessage().equals(UNKNOWN_UPLOAD))
                        .onRetryExhaustedThrow((spec, signal) -> signal.failure()))
                .flatMap(upload -> {
                    if (upload.state().isFinal() && report.kind() == StatusReport.Kind.UPLOAD_PROGRESS) {
                        // a late progress report must not reopen a finished upload
                        return Mono.error(new Refused("late_report"));
                    }
                    Instant now = clock.instant();
                    Upload updated = updated(upload, report, now);
                    return store.update(updated)
                            .then(Mono.defer(() -> registry.seen(deviceId)))
                            .then(publish(event(updated, report)))
                            .doOnSuccess(done -> meters.counter(
                                            "device_bridge_status_reports_total",
                                            "event",
                                            report.kind().event())
                                    .increment())
                            .then(
                                    report.kind() == StatusReport.Kind.UPLOAD_COMPLETED
                                            ? check(updated, report)
                                            : Mono.empty());
                })
                .onErrorResume(Refused.class, refused -> {
                    refused(refused.getMessage());
                    log.debug("Status {} of {} refused: {}", report.kind().event(), deviceId, refused.getMessage());
                    return Mono.empty();
                });
    }

    /** Counts a refused report (also for messages that were not reports at all). */
    public void refused(String reason) {
        meters.counter("device_bridge_status_rejected_total", "reason", reason).increment();
    }

    private Mono<Upload> match(String deviceId, StatusReport report) {
        String cloudPath = report.cloudPath() != null ? report.cloudPath() : keyOf(deviceId, report.cloudUrl());
        if (report.cloudPath() != null && !CloudPaths.belongsTo(deviceId, report.cloudPath())) {
            return Mono.error(new Refused(OTHER_DEVICE));
        }
        Mono<Upload> byFile =
                report.filePath() == null ? Mono.empty() : store.findByLocalFile(deviceId, report.filePath());
        Mono<Upload> byKey = cloudPath == null ? Mono.empty() : store.findByObjectKey(deviceId, cloudPath);
        Mono<Upload> found = report.kind() == StatusReport.Kind.UPLOAD_STARTED
                ? byKey.switchIfEmpty(byFile)
                : byFile.switchIfEmpty(byKey);
        return found.switchIfEmpty(Mono.error(new Refused(UNKNOWN_UPLOAD)));
    }

    /** The object key at the end of a {@code cloud_url}, when it is one of this device's. */
    private static String keyOf(String deviceId, String cloudUrl) {
        if (cloudUrl == null) {
            return null;
        }
        String path = cloudUrl.replaceFirst("[?#].*$", "");
        int start = path.indexOf("/" + deviceId + "/");
        if (start < 0) {
            return null;
        }
        String key = path.substring(start + 1);
        return CloudPaths.belongsTo(deviceId, key) ? key : null;
    }

    private static Upload updated(Upload upload, StatusReport report, Instant now) {
        return switch (report.kind()) {
            case UPLOAD_STARTED -> upload.started(report.filePath(), now);
            case UPLOAD_PROGRESS ->
                upload.progressed(
                        report.progressPercentage() == null
                                ? null
                                : BigDecimal.valueOf(Math.max(0, Math.min(100, report.progressPercentage())))
                                        .setScale(2, RoundingMode.HALF_UP),
                        report.bytesUploaded(),
                        report.uploadSpeedKbps(),
                        report.estimatedTimeRemainingSec(),
                        now);
            case UPLOAD_COMPLETED -> upload.completed(report.uploadDurationSec(), report.averageSpeedKbps(), now);
            case UPLOAD_FAILED ->
                upload.failed(
                        report.errorCode() == null ? "UNKNOWN" : report.errorCode(),
                        report.errorMessage(),
                        report.retryCount(),
                        now);
        };
    }

    private CloudEvent<?> event(Upload upload, StatusReport report) {
        String deviceId = upload.deviceId();
        Object data =
                switch (report.kind()) {
                    case UPLOAD_STARTED ->
                        new DeviceUploadStarted(
                                deviceId,
                                report.filePath(),
                                report.filename(),
                                report.cloudPath(),
                                report.fileSize(),
                                report.priority(),
                                report.timestamp(),
                                upload.requestId(),
                                upload.objectKey());
                    case UPLOAD_PROGRESS ->
                        new DeviceUploadProgress(
                                deviceId,
                                report.filePath(),
                                report.progressPercentage(),
                                report.bytesUploaded(),
                                report.totalBytes(),
                                report.uploadSpeedKbps(),
                                report.estimatedTimeRemainingSec(),
                                report.timestamp(),
                                upload.requestId(),
                                upload.objectKey());
                    case UPLOAD_COMPLETED ->
                        new DeviceUploadCompleted(
                                deviceId,
                                report.filePath(),
                                report.filename(),
                                report.cloudUrl(),
                                report.uploadDurationSec(),
                                report.averageSpeedKbps(),
                                report.timestamp(),
                                upload.requestId(),
                                upload.objectKey());
                    case UPLOAD_FAILED ->
                        new DeviceUploadFailed(
                                deviceId,
                                report.filePath(),
                                report.filename(),
                                report.errorCode(),
                                report.errorMessage(),
                                report.retryCount(),
                                report.timestamp(),
                                upload.requestId(),
                                upload.objectKey());
                };
        return CloudEvent.of("device." + report.kind().event(), EVENT_SOURCE, "device:" + deviceId, data, clock);
    }

    /** Verifies the object behind a completed upload; a mismatch fails it, visibly. */
    private Mono<Void> check(Upload upload, StatusReport report) {
        String md5 = report.md5() != null ? report.md5() : upload.contentMd5();
        Mono<Presigner.Verification> verification = upload.multipart() && upload.uploadId() != null
                ? presigner.complete(upload.deviceId(), upload.objectKey(), upload.uploadId(), upload.fileSize())
                : presigner.verify(upload.deviceId(), upload.objectKey(), upload.fileSize(), md5);
        return verification
                .retryWhen(Retry.backoff(3, Duration.ofMillis(500)))
                .flatMap(result -> {
                    Upload checked = upload.checked(result.verified(), result.reason(), clock.instant());
                    meters.counter(
                                    "device_bridge_uploads_verified_total",
                                    "result",
                                    result.verified() ? "ok" : "mismatch")
                            .increment();
                    Mono<Void> stored = store.update(checked);
                    if (result.verified()) {
                        return stored;
                    }
                    log.warn(
                            "Upload {}/{} ({}) failed verification: {}",
                            upload.deviceId(),
                            upload.requestId(),
                            upload.objectKey(),
                            result.reason());
                    return stored.then(publish(CloudEvent.of(
                            EventTypes.DEVICE_UPLOAD_FAILED,
                            EVENT_SOURCE,
                            "device:" + upload.deviceId(),
                            new DeviceUploadFailed(
                                    upload.deviceId(),
                                    upload.localFilePath(),
                                    report.filename(),
                                    "VERIFICATION_FAILED",
                                    result.reason(),
                                    upload.retryCount(),
                                    clock.instant().getEpochSecond(),
                                    upload.requestId(),
                                    upload.objectKey()),
                            clock)));
                })
                .onErrorResume(error -> {
                    // the upload stays completed and unverified (verified = null); the API shows it so
                    meters.counter("device_bridge_uploads_verified_total", "result", "unavailable")
                            .increment();
                    log.warn(
                            "Upload {}/{} could not be verified: {}",
                            upload.deviceId(),
                            upload.requestId(),
                            error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> publish(CloudEvent<?> event) {
        return events.publish(event)
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .then();
    }

    private static final class Refused extends RuntimeException {
        Refused(String reason) {
            super(reason, null, false, false);
        }
    }
}
