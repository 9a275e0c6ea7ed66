package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.storage.ObjectStore;
import dev.projectdashboard.starter.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/**
 * Files PUT straight to the store through upload URLs (source 000's direct upload), recorded without the client's
 * help: each URL leaves a {@link PendingUpload}; the first read of its key, task or name, a {@code confirm}, or the
 * background sweep HEADs the object and, when it is there, writes its row and publishes {@code file.uploaded} once.
 *
 * <p>The pending row is also the outbox of that event: it is deleted only once the event is on the stream, so a
 * crash or a Redis outage between the row and the event leaves it for the sweep to publish (at least once).
 */
@Component
public class PendingUploads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PendingUploads.class);

    /** Pending uploads of one sweep looked at in the store at the same time. */
    private static final int SWEEP_CONCURRENCY = 4;

    /** What looking at a pending upload came to. */
    public enum Outcome {
        /** The object was there: its row is written (its event published, or left to the sweep). */
        RECORDED,
        /** Someone else (another request or replica) recorded it first, or is doing so. */
        ALREADY_RECORDED,
        /** The sweep published the event of a file recorded earlier. */
        PUBLISHED,
        /** No object yet, and the URL may still be used. */
        WAITING,
        /** No object, and the URL expired more than the grace period ago: forgotten. */
        EXPIRED,
        /** The object is larger than the limit: deleted from the store, forgotten. */
        OVERSIZED,
        /** A live file of that key was recorded by other means (a streamed upload): the pending upload is moot. */
        SUPERSEDED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What made a pending upload be looked at, as a metric tag. */
    public enum Trigger {
        READ,
        CONFIRM,
        SWEEP;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final PendingUploadRepository pending;
    private final FileRepository files;
    private final FileRecorder recorder;
    private final ObjectStore store;
    private final FileProperties properties;
    private final FileProperties.Pending settings;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();

    private volatile Disposable sweeping;

    PendingUploads(
            PendingUploadRepository pending,
            FileRepository files,
            FileRecorder recorder,
            ObjectStore store,
            FileProperties properties,
            MeterRegistry meters) {
        this.pending = pending;
        this.files = files;
        this.recorder = recorder;
        this.store = store;
        this.properties = properties;
        this.settings = properties.pending();
        this.meters = meters;
    }

    /** Records an issued upload URL; the sweep first looks for its object {@code record-after} later. */
    Mono<Void> issued(PendingUpload upload) {
        return pending.save(upload, upload.issuedAt().plus(settings.recordAfter()))
                .onErrorMap(PendingUploads::unavailable);
    }

    Mono<PendingUpload> find(String objectKey) {
        return pending.find(objectKey).onErrorMap(PendingUploads::unavailable);
    }

    Flux<PendingUpload> findByName(String taskId, String fileName, FileKind kind) {
        return pending.findByName(taskId, fileName, kind).onErrorMap(PendingUploads::unavailable);
    }

    Flux<PendingUpload> findByTask(String taskId) {
        return pending.findByTask(taskId, settings.readLimit()).onErrorMap(PendingUploads::unavailable);
    }

    /**
     * Looks for the object of a pending upload in the store and records it if it is there. A file already recorded
     * is left as it is: its event, if still due, is the sweep's job (a read must not publish it a second time).
     * Errors with 503 when the store or the database is unavailable.
     */
    public Mono<Outcome> settle(PendingUpload upload, Trigger trigger) {
        return settle(upload, trigger, clock.instant());
    }

    private Mono<Outcome> settle(PendingUpload upload, Trigger trigger, Instant now) {
        if (upload.recorded()) {
            return Mono.just(Outcome.ALREADY_RECORDED);
        }
        String key = upload.objectKey();
        return store.headIfPresent(key)
                .flatMap(head -> record(upload, head))
                .switchIfEmpty(Mono.defer(() -> now.isAfter(upload.expiresAt().plus(settings.grace()))
                        ? pending.deleteUnclaimed(key).thenReturn(Outcome.EXPIRED)
                        : Mono.just(Outcome.WAITING)))
                .onErrorMap(PendingUploads::unavailable)
                .doOnNext(outcome -> count(outcome, trigger));
    }

    private Mono<Outcome> record(PendingUpload upload, HeadObjectResponse head) {
        String key = upload.objectKey();
        long size = head.contentLength();
        if (size > properties.maxSize().toBytes()) {
            log.warn("deleting {}: {} bytes were PUT through its upload URL, more than the limit", key, size);
            return store.delete(key).then(pending.deleteUnclaimed(key)).thenReturn(Outcome.OVERSIZED);
        }
        Instant now = clock.instant();
        return pending.claim(
                        key,
                        head.contentType(),
                        size,
                        FileService.unquote(head.eTag()),
                        now,
                        now.plus(settings.checkInterval()))
                .flatMap(file -> recorder.publishUploaded(file)
                        .then(pending.delete(key))
                        .thenReturn(Outcome.RECORDED)
                        .onErrorResume(error -> {
                            log.warn(
                                    "recorded {} but could not publish file.uploaded yet; the sweep will: {}",
                                    key,
                                    error.toString());
                            return Mono.just(Outcome.RECORDED);
                        }))
                .defaultIfEmpty(Outcome.ALREADY_RECORDED)
                .onErrorResume(DataIntegrityViolationException.class, conflict -> {
                    // a streamed upload recorded the key meanwhile; the bytes now in the store may be this PUT's
                    log.warn("{} was PUT through an upload URL while a live file of that key exists", key);
                    return pending.deleteUnclaimed(key).thenReturn(Outcome.SUPERSEDED);
                });
    }

    /**
     * One sweep at {@code now}: leases the pending uploads that are due (no other sweep takes them until
     * {@code check-interval} later), records those whose object arrived, publishes events still due, and forgets
     * expired ones. Returns how many pending uploads came to each outcome.
     */
    public Mono<Map<Outcome, Long>> sweepOnce(Instant now) {
        return pending.leaseDue(now, now.plus(settings.checkInterval()), settings.sweepBatch())
                .flatMap(
                        upload -> sweep(upload, now).onErrorResume(error -> {
                            log.warn(
                                    "pending upload {} left for the next sweep: {}",
                                    upload.objectKey(),
                                    error.toString());
                            return Mono.empty();
                        }),
                        SWEEP_CONCURRENCY)
                .<Map<Outcome, Long>>collect(
                        () -> new EnumMap<>(Outcome.class), (counts, outcome) -> counts.merge(outcome, 1L, Long::sum))
                .doOnNext(outcomes -> {
                    outcomes.remove(Outcome.WAITING);
                    if (!outcomes.isEmpty()) {
                        log.info("pending uploads swept: {}", outcomes);
                    }
                });
    }

    private Mono<Outcome> sweep(PendingUpload upload, Instant now) {
        if (!upload.recorded()) {
            return settle(upload, Trigger.SWEEP, now);
        }
        return files.findLive(upload.objectKey())
                .flatMap(recorder::publishUploaded)
                .then(pending.delete(upload.objectKey()))
                .thenReturn(Outcome.PUBLISHED)
                .doOnNext(outcome -> count(outcome, Trigger.SWEEP));
    }

    private void count(Outcome outcome, Trigger trigger) {
        if (outcome == Outcome.WAITING) {
            return;
        }
        Counter.builder("files.pending.uploads.settled")
                .description("pending uploads (files PUT through upload URLs) by what looking at them came to")
                .tag("outcome", outcome.tag())
                .tag("trigger", trigger.tag())
                .register(meters)
                .increment();
    }

    private static Throwable unavailable(Throwable error) {
        return error instanceof ProblemException
                ? error
                : new ProblemException(
                        HttpStatus.SERVICE_UNAVAILABLE, "File metadata is unavailable; retry later", error);
    }

    @Override
    public void start() {
        sweeping = Flux.interval(settings.sweepInterval())
                .onBackpressureDrop()
                .concatMap(
                        tick -> sweepOnce(clock.instant()).onErrorResume(error -> {
                            log.warn(
                                    "sweeping pending uploads failed, next sweep in {}: {}",
                                    settings.sweepInterval(),
                                    error.toString());
                            return Mono.empty();
                        }),
                        1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = sweeping;
        if (current != null) {
            current.dispose();
        }
        sweeping = null;
    }

    @Override
    public boolean isRunning() {
        return sweeping != null;
    }
}
