package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileProperties;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.domain.ObjectStore;
import dev.projectdashboard.fileservice.domain.PendingUpload;
import dev.projectdashboard.fileservice.domain.StoredObject;
import dev.projectdashboard.fileservice.persistence.FileRepository;
import dev.projectdashboard.fileservice.persistence.PendingUploadRepository;
import dev.projectdashboard.starter.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Files PUT straight to the store through upload URLs (the direct upload of docs/contracts.md, Files), recorded without
 * the client's help: each URL is a {@link PendingUpload} writing a staging key of its own; the first read of its file's
 * key, task or name, a {@code confirm}, or the background sweep HEADs the staging object and, when it is there, copies
 * it to the file's key, writes the row and publishes {@code file.uploaded}, once.
 *
 * <p>A URL never writes a file's key, so it cannot replace a live file however often it is used, and it records
 * nothing once its task belongs to someone else. The pending row is also the outbox of the event: a crash or a
 * Redis outage between the row and the event leaves it for the sweep to publish (at least once).
 */
@Component
public class PendingUploads implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PendingUploads.class);

    /** Pending uploads of one sweep looked at in the store at the same time. */
    private static final int SWEEP_CONCURRENCY = 4;

    private final PendingUploadRepository pending;
    private final FileRepository files;
    private final FileRecorder recorder;
    private final ObjectStore store;
    private final TransactionalOperator transactions;
    private final FileProperties properties;
    private final FileProperties.Pending settings;
    private final MeterRegistry meters;
    private final Clock clock;

    private volatile Disposable sweeping;

    PendingUploads(
            PendingUploadRepository pending,
            FileRepository files,
            FileRecorder recorder,
            ObjectStore store,
            TransactionalOperator transactions,
            FileProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.pending = pending;
        this.files = files;
        this.recorder = recorder;
        this.store = store;
        this.transactions = transactions;
        this.properties = properties;
        this.settings = properties.pending();
        this.meters = meters;
        this.clock = clock;
    }

    /** Records an issued upload URL; the sweep first looks for its object {@code record-after} later. */
    Mono<Void> issued(PendingUpload upload) {
        return pending.insert(upload, upload.issuedAt().plus(settings.recordAfter()))
                .onErrorMap(PendingUploads::unavailable);
    }

    /** URLs of that file key still awaiting their object. */
    Flux<PendingUpload> awaitingKey(String objectKey) {
        return pending.awaitingKey(objectKey).onErrorMap(PendingUploads::unavailable);
    }

    Flux<PendingUpload> awaitingName(String taskId, String fileName, FileKind kind) {
        return pending.awaitingName(taskId, fileName, kind).onErrorMap(PendingUploads::unavailable);
    }

    Flux<PendingUpload> awaitingTask(String taskId) {
        return pending.awaitingTask(taskId, settings.readLimit()).onErrorMap(PendingUploads::unavailable);
    }

    /**
     * Looks for the object of a pending upload in the store and records it if it is there. A URL already recorded is
     * left as it is: its event, if still due, is the sweep's job (a read must not publish it a second time). Errors
     * with 503 when the store or the database is unavailable.
     */
    public Mono<PendingUpload.Outcome> settle(PendingUpload upload, PendingUpload.Trigger trigger) {
        return settle(upload, trigger, clock.instant());
    }

    private Mono<PendingUpload.Outcome> settle(PendingUpload upload, PendingUpload.Trigger trigger, Instant now) {
        if (upload.recorded()) {
            return Mono.just(PendingUpload.Outcome.ALREADY_RECORDED);
        }
        return store.headIfPresent(upload.stagingKey())
                .flatMap(head -> record(upload, head))
                .switchIfEmpty(Mono.defer(() -> upload.forgottenAt(now, settings.grace())
                        ? pending.delete(upload.stagingKey()).thenReturn(PendingUpload.Outcome.EXPIRED)
                        : Mono.just(PendingUpload.Outcome.WAITING)))
                .onErrorMap(PendingUploads::unavailable)
                .doOnNext(outcome -> count(outcome, trigger));
    }

    private Mono<PendingUpload.Outcome> record(PendingUpload upload, StoredObject staged) {
        long size = staged.size();
        if (size > properties.maxSize().toBytes()) {
            log.warn(
                    "{} bytes were PUT through the upload URL of {}, more than the limit: deleted",
                    size,
                    upload.objectKey());
            return discard(upload, PendingUpload.Outcome.OVERSIZED);
        }
        return mayStillWrite(upload).flatMap(allowed -> {
            if (!allowed) {
                log.warn(
                        "the upload URL of {} was issued to {}, who no longer owns task {}: its object is deleted",
                        upload.objectKey(),
                        upload.issuedBy(),
                        upload.taskId());
                return discard(upload, PendingUpload.Outcome.REVOKED);
            }
            Instant now = clock.instant();
            // the row and the copy commit together: until then a concurrent claim of this URL waits on its row, and
            // one of another URL of the same key on the live-key index, so nobody sees a row whose object is missing
            // and no second copy overwrites the first
            Mono<FileRecord> claimAndCopy = pending.claim(
                            upload.stagingKey(),
                            staged.contentType(),
                            size,
                            staged.etag(),
                            now,
                            now.plus(settings.checkInterval()))
                    .flatMap(file ->
                            copyToItsKey(upload, staged).map(etag -> file).defaultIfEmpty(file));
            return transactions
                    .transactional(claimAndCopy)
                    .flatMap(file -> publish(upload, file).thenReturn(PendingUpload.Outcome.RECORDED))
                    .defaultIfEmpty(PendingUpload.Outcome.ALREADY_RECORDED)
                    .onErrorResume(DataIntegrityViolationException.class, conflict -> {
                        log.info(
                                "{} was recorded by other means first: the object of its upload URL is deleted",
                                upload.objectKey());
                        return discard(upload, PendingUpload.Outcome.SUPERSEDED);
                    });
        });
    }

    /** The URL's issuer is an admin, or still owns the task (or nobody does). */
    private Mono<Boolean> mayStillWrite(PendingUpload upload) {
        if (upload.issuerAdmin()) {
            return Mono.just(true);
        }
        return files.taskOwner(upload.taskId()).map(upload.issuedBy()::equals).defaultIfEmpty(true);
    }

    private Mono<String> copyToItsKey(PendingUpload upload, StoredObject staged) {
        if (upload.inPlace()) {
            return Mono.empty();
        }
        return store.copy(
                upload.stagingKey(),
                upload.objectKey(),
                staged.size(),
                staged.contentType(),
                Map.of("task-id", upload.taskId(), "uploaded-by", upload.issuedBy()));
    }

    /**
     * Publishes {@code file.uploaded} and removes the staging object; the row stays until the URL expired. An event
     * that cannot go out now is left to the sweep: the file is recorded all the same.
     */
    private Mono<Void> publish(PendingUpload upload, FileRecord file) {
        Instant cleanup = upload.cleanupAt(settings.grace());
        return recorder.publishUploaded(file)
                .then(upload.inPlace() ? Mono.<Void>empty() : store.deleteQuietly(upload.stagingKey()))
                .then(Mono.defer(() -> pending.published(upload.stagingKey(), clock.instant(), cleanup)))
                .onErrorResume(error -> {
                    log.warn(
                            "recorded {} but could not publish file.uploaded yet; the sweep will: {}",
                            file.objectKey(),
                            error.toString());
                    return Mono.empty();
                });
    }

    /** Deletes what the URL PUT (never the file's own key) and forgets the URL. */
    private Mono<PendingUpload.Outcome> discard(PendingUpload upload, PendingUpload.Outcome outcome) {
        Mono<Void> removeObject = upload.inPlace() && outcome != PendingUpload.Outcome.OVERSIZED
                ? Mono.empty()
                : store.delete(upload.stagingKey());
        return removeObject.then(pending.delete(upload.stagingKey())).thenReturn(outcome);
    }

    /**
     * One sweep at {@code now}: leases the pending uploads that are due (no other sweep takes them until
     * {@code check-interval} later), records those whose object arrived, publishes events still due, forgets expired
     * URLs and removes what a reuse of a recorded URL PUT again. Returns how many came to each outcome.
     */
    public Mono<Map<PendingUpload.Outcome, Long>> sweepOnce(Instant now) {
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
                .<Map<PendingUpload.Outcome, Long>>collect(
                        () -> new EnumMap<>(PendingUpload.Outcome.class),
                        (counts, outcome) -> counts.merge(outcome, 1L, Long::sum))
                .doOnNext(outcomes -> {
                    outcomes.remove(PendingUpload.Outcome.WAITING);
                    if (!outcomes.isEmpty()) {
                        log.info("pending uploads swept: {}", outcomes);
                    }
                });
    }

    private Mono<PendingUpload.Outcome> sweep(PendingUpload upload, Instant now) {
        if (!upload.recorded()) {
            return settle(upload, PendingUpload.Trigger.SWEEP, now);
        }
        Mono<PendingUpload.Outcome> step;
        if (!upload.published()) {
            step = files.findLive(upload.objectKey())
                    .flatMap(file -> recorder.publishUploaded(file))
                    .then(upload.inPlace() ? Mono.<Void>empty() : store.delete(upload.stagingKey()))
                    .then(pending.published(upload.stagingKey(), clock.instant(), upload.cleanupAt(settings.grace())))
                    .thenReturn(PendingUpload.Outcome.PUBLISHED);
        } else if (upload.expiredAt(now)) {
            step = (upload.inPlace() ? Mono.<Void>empty() : store.delete(upload.stagingKey()))
                    .then(pending.delete(upload.stagingKey()))
                    .thenReturn(PendingUpload.Outcome.CLEANED);
        } else {
            step = Mono.just(PendingUpload.Outcome.WAITING);
        }
        return step.doOnNext(outcome -> count(outcome, PendingUpload.Trigger.SWEEP));
    }

    private void count(PendingUpload.Outcome outcome, PendingUpload.Trigger trigger) {
        if (outcome == PendingUpload.Outcome.WAITING) {
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
