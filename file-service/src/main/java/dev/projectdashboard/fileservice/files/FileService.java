package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.domain.FileProperties;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.domain.PendingUpload;
import dev.projectdashboard.fileservice.persistence.FileRepository;
import dev.projectdashboard.fileservice.storage.S3ObjectStore;
import dev.projectdashboard.fileservice.storage.SlabPool;
import dev.projectdashboard.fileservice.storage.UrlSigner;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.ApiKeyAuthentication;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Scene and result files of tasks: streamed uploads, presigned URLs, metadata and events.
 *
 * <p>Ownership: the user who uploaded a task's first live file owns the task; only the owner or an admin may
 * upload to, list, inspect, download or delete its files. Everyone else gets the same 404 as for a task that does
 * not exist, so ids cannot be probed.
 *
 * <p>Order of a write, so a failure leaves nothing half-done: bytes to S3, then the metadata row, then the event.
 * If the row or the event cannot be written, the row and the object are removed again and the client gets 503
 * (retrying is safe). A delete removes the object, publishes, and only then marks the row deleted, so a retried
 * delete after a 503 finishes the job.
 */
@Service
public class FileService {

    /** Pending uploads one read looks for in the store at the same time. */
    private static final int READ_CONCURRENCY = 4;

    private static final DateTimeFormatter DAY =
            DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

    /** Lifetime of a service's download URL when it names none: source 003's {@code {{file_url}}} is valid one hour. */
    static final Duration SERVICE_URL_EXPIRY = Duration.ofHours(1);

    /**
     * Services calling the internal API ({@code X-Api-Key}) read every task's files, as an admin does: the user checks
     * of a read apply to them unchanged and refuse nothing. Never used to write.
     */
    private static final DashboardPrincipal SERVICES = new DashboardPrincipal(
            ApiKeyAuthentication.PRINCIPAL, Set.of(DashboardPrincipal.ADMIN_ROLE), Set.of(), Set.of());

    private final S3ObjectStore store;
    private final SlabPool slabs;
    private final UrlSigner signer;
    private final FileRepository files;
    private final FileEvents events;
    private final FileRecorder recorder;
    private final PendingUploads pending;
    private final FileProperties properties;
    private final Clock clock;

    FileService(
            S3ObjectStore store,
            SlabPool slabs,
            UrlSigner signer,
            FileRepository files,
            FileEvents events,
            FileRecorder recorder,
            PendingUploads pending,
            FileProperties properties,
            Clock clock) {
        this.store = store;
        this.slabs = slabs;
        this.signer = signer;
        this.files = files;
        this.events = events;
        this.recorder = recorder;
        this.pending = pending;
        this.properties = properties;
        this.clock = clock;
        sha256(); // loads the provider at start-up, not on an event-loop thread
    }

    // ---- upload ----------------------------------------------------------------------------------------------

    /** Checks that must pass before a byte of the body is read. */
    public Mono<Void> checkUpload(DashboardPrincipal user, String taskId, Long contentLength) {
        if (contentLength != null && contentLength > properties.maxSize().toBytes() + 64 * 1024) {
            return Mono.error(tooLarge());
        }
        return requireTaskAccess(user, taskId, true);
    }

    /**
     * Streams the file part of a multipart body to S3 under {@code {folder}/{yyyyMMdd}/{task_id}/{filename}} and
     * records it. The body is read once, in order, by {@link StreamedUpload}; its bytes reach S3 in parts of
     * {@code dashboard.s3.upload-part-size}, so memory stays flat whatever the file size.
     */
    public Mono<FileViews.Uploaded> upload(
            DashboardPrincipal user,
            String taskId,
            FileKind kind,
            String boundary,
            long contentLength,
            Flux<DataBuffer> body) {
        Instant now = clock.instant();
        StreamedUpload upload =
                new StreamedUpload(boundary, slabs, properties.maxSize().toBytes(), contentLength, this::checkFile);
        Supplier<String> key = () -> folder(kind) + "/" + DAY.format(now) + "/" + taskId + "/"
                + upload.file().filename();
        Mono<Void> noLiveFileOfThatName =
                Mono.defer(() -> files.findLive(key.get()).flatMap(existing -> Mono.<Void>error(duplicate())));
        Supplier<S3ObjectStore.Target> target = () -> new S3ObjectStore.Target(
                key.get(), contentType(upload.file()), Map.of("task-id", taskId, "uploaded-by", user.userId()));
        return store.put(target, upload.slabs(body), noLiveFileOfThatName)
                .flatMap(etag -> verifyStoredSize(key.get(), upload.size()).thenReturn(etag))
                .flatMap(etag -> {
                    FileRecord file = new FileRecord(
                            key.get(),
                            kind,
                            folder(kind),
                            taskId,
                            upload.file().filename(),
                            contentType(upload.file()),
                            upload.size(),
                            unquote(etag),
                            upload.sha256Hex(),
                            user.userId(),
                            now);
                    return recorder.record(file, true);
                })
                .map(file -> uploaded(file, "File uploaded successfully"));
    }

    /** The file part's name and declared type, checked when its headers arrive: nothing is stored otherwise. */
    private void checkFile(MultipartScanner.PartHeaders file) {
        FileNames.fileName("filename", file.filename());
        String contentType = contentType(file);
        if (!properties.allows(contentType)) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not allowed: " + contentType)
                    .with("allowed_content_types", properties.allowedContentTypes());
        }
    }

    private static String contentType(MultipartScanner.PartHeaders file) {
        return file.contentType() == null || file.contentType().isBlank()
                ? "application/octet-stream"
                : file.contentType();
    }

    // ---- presigned URLs ------------------------------------------------------------------------------------

    public Mono<FileViews.DownloadUrl> downloadUrl(
            DashboardPrincipal user, String taskId, String fileName, String kind, Long expireTime) {
        FileNames.id("task_id", taskId);
        FileNames.fileName("filename", fileName);
        FileKind fileKind = kind == null ? null : FileKind.ofParameter(kind);
        Duration expiry = FileNames.expiry(expireTime, properties.defaultExpiry());
        return liveByName(user, taskId, fileName, fileKind)
                .switchIfEmpty(Mono.error(FileService::notFound))
                .map(file -> downloadUrl(file, expiry));
    }

    /**
     * A presigned GET of a task's file for another service (push-service's {@code {{file_url}}}), whichever user owns
     * the task. {@code file} is either a file name of the task, meaning its result file of that name or else its scene
     * file of that name (the kinds {@code GET /download} serves; results first, since callers name a task's result
     * files), or the full object key of one of the task's files. Files PUT through upload URLs are recorded first, as
     * for a user's download. The URL lives {@code expire_time} seconds, one hour when absent.
     */
    public Mono<FileViews.DownloadUrl> downloadUrlForService(String taskId, String file, Long expireTime) {
        FileNames.id("task_id", taskId);
        Duration expiry = FileNames.expiry(expireTime, SERVICE_URL_EXPIRY);
        Mono<FileRecord> found = FileNames.isObjectKey(file)
                ? liveOfTask(taskId, FileNames.objectKey("file", file))
                : liveByName(SERVICES, taskId, FileNames.fileName("file", file), FileKind.RESULT)
                        .switchIfEmpty(Mono.defer(() -> liveByName(SERVICES, taskId, file, FileKind.SCENE)));
        return found.switchIfEmpty(Mono.error(FileService::notFound)).map(record -> downloadUrl(record, expiry));
    }

    /**
     * The newest live file of that name in the task, of that kind or ({@code null}) of any kind but device files, that
     * {@code user} may read; the files PUT through upload URLs for that name are recorded first.
     */
    private Mono<FileRecord> liveByName(DashboardPrincipal user, String taskId, String fileName, FileKind kind) {
        return settle(user, pending.awaitingName(taskId, fileName, kind), true)
                .then(files.findLive(taskId, fileName, kind))
                .filter(file -> file.kind() != FileKind.DEVICE)
                .flatMap(file -> visible(user, file));
    }

    /**
     * The live file of that key if it is one of the task's that {@code GET /download} could serve (no device file),
     * for a service; the task's files PUT through upload URLs for that key are recorded first.
     */
    private Mono<FileRecord> liveOfTask(String taskId, String objectKey) {
        return settle(
                        SERVICES,
                        pending.awaitingKey(objectKey)
                                .filter(upload -> upload.taskId().equals(taskId)),
                        true)
                .then(files.findLive(objectKey))
                .filter(file -> file.kind() != FileKind.DEVICE && file.taskId().equals(taskId));
    }

    private FileViews.DownloadUrl downloadUrl(FileRecord file, Duration expiry) {
        UrlSigner.Signed signed = signer.get(file.objectKey(), file.fileName(), expiry);
        return new FileViews.DownloadUrl(
                signed.url(), file.fileName(), file.objectKey(), expiry.toSeconds(), signed.expiresAt());
    }

    /**
     * A presigned PUT for {@code {folder}/{yyyyMMdd}/{task_id}/{filename}}, recorded as a pending upload: the file
     * the client PUTs is recorded by the first read that finds it (or by {@code confirm}, or the sweep), so a client of
     * docs/contracts.md (Files) needs no other call. With {@code size}, the URL signs {@code Content-Length}: the store
     * refuses any other length.
     */
    public Mono<FileViews.UploadUrl> uploadUrl(
            DashboardPrincipal user,
            String taskId,
            String fileName,
            String contentType,
            String kind,
            Long expireTime,
            Long size) {
        FileKind fileKind = FileKind.ofParameter(kind);
        String type = contentType == null || contentType.isBlank() ? "application/octet-stream" : contentType;
        if (!properties.allows(type)) {
            throw new ProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Content type not allowed: " + type)
                    .with("allowed_content_types", properties.allowedContentTypes());
        }
        if (size != null && size > properties.maxSize().toBytes()) {
            throw tooLarge();
        }
        Duration expiry = FileNames.expiry(expireTime, properties.defaultExpiry());
        Instant now = clock.instant();
        String key = folder(fileKind) + "/" + DAY.format(now) + "/" + taskId + "/" + fileName;
        return requireTaskAccess(user, taskId, true)
                .then(files.findLive(key).flatMap(existing -> Mono.error(duplicate())))
                .then(Mono.defer(() -> {
                    // the URL writes a key of its own, copied to the file's key when recorded: however often it is
                    // used, it never replaces a live file
                    String staging =
                            properties.pending().stagingFolder() + "/" + randomHex() + randomHex() + "/" + fileName;
                    UrlSigner.Signed signed = signer.put(staging, expiry, put -> {
                        put.contentType(type);
                        if (size != null) {
                            put.contentLength(size);
                        }
                    });
                    PendingUpload upload = new PendingUpload(
                            staging,
                            key,
                            fileKind,
                            folder(fileKind),
                            taskId,
                            fileName,
                            type,
                            size,
                            user.userId(),
                            user.isAdmin(),
                            now,
                            signed.expiresAt(),
                            null,
                            null);
                    return pending.issued(upload)
                            .thenReturn(new FileViews.UploadUrl(
                                    signed.url(),
                                    key,
                                    fileName,
                                    expiry.toSeconds(),
                                    signed.expiresAt(),
                                    signed.method(),
                                    signed.headers()));
                }));
    }

    /** Unique, not secret: the URL's signature is what protects the staging key. */
    private static String randomHex() {
        return String.format("%016x", ThreadLocalRandom.current().nextLong());
    }

    /**
     * Optional since pending uploads are recorded on their own: records a file PUT through an upload URL now and
     * answers it (again, if it is recorded already). An object over the size limit is deleted (413); nothing in
     * the store yet is a 404. A key whose URL was issued before pending uploads existed is taken as the caller's.
     */
    public Mono<FileViews.Uploaded> confirm(DashboardPrincipal user, String objectKey) {
        FileNames.objectKey("object_key", objectKey);
        String[] segments = objectKey.split("/");
        FileKind kind = segments.length == 4 && segments[0].equals(properties.sceneFolder())
                ? FileKind.SCENE
                : segments.length == 4 && segments[0].equals(properties.resultFolder()) ? FileKind.RESULT : null;
        if (kind == null || !segments[1].matches("\\d{8}")) {
            throw FileNames.invalid("object_key", "must be an upload URL's object_key");
        }
        String taskId = FileNames.id("object_key", segments[2]);
        // a URL issued before pending uploads existed wrote the file's key itself: taken as the caller's
        Mono<PendingUpload> legacyUrl = Mono.defer(() -> {
            Instant now = clock.instant();
            PendingUpload adopted = new PendingUpload(
                    objectKey,
                    objectKey,
                    kind,
                    segments[0],
                    taskId,
                    segments[3],
                    "",
                    null,
                    user.userId(),
                    user.isAdmin(),
                    now,
                    now,
                    null,
                    null);
            return pending.issued(adopted).thenReturn(adopted);
        });
        Mono<FileRecord> recorded = pending.awaitingKey(objectKey)
                .switchIfEmpty(legacyUrl)
                .concatMap(upload -> pending.settle(upload, PendingUpload.Trigger.CONFIRM))
                .collectList()
                .flatMap(outcomes -> files.findLive(objectKey)
                        .switchIfEmpty(Mono.defer(() -> Mono.error(
                                outcomes.contains(PendingUpload.Outcome.OVERSIZED)
                                        ? tooLarge()
                                        : new ProblemException(
                                                HttpStatus.NOT_FOUND, "Nothing was uploaded to that key yet")))));
        return requireTaskAccess(user, taskId, true)
                .then(files.findLive(objectKey).switchIfEmpty(recorded))
                .switchIfEmpty(Mono.error(FileService::notFound))
                .map(file -> uploaded(file, "File recorded"));
    }

    // ---- metadata ------------------------------------------------------------------------------------------

    public Mono<FileViews.Info> info(DashboardPrincipal user, String objectKey) {
        FileNames.objectKey("object_key", objectKey);
        return settle(user, pending.awaitingKey(objectKey), true)
                .then(liveVisible(user, objectKey))
                .flatMap(file -> store.head(objectKey)
                        .map(head -> new FileViews.Info(
                                file.objectKey(),
                                file.fileName(),
                                file.taskId(),
                                file.kind().value(),
                                head.size(),
                                head.contentType(),
                                head.etag(),
                                head.lastModified(),
                                file.checksumSha256(),
                                file.uploadedBy(),
                                file.createdAt(),
                                head.metadata())));
    }

    public Mono<FileViews.Deleted> delete(DashboardPrincipal user, String objectKey) {
        FileNames.objectKey("object_key", objectKey);
        Instant now = clock.instant();
        return settle(user, pending.awaitingKey(objectKey), false)
                .then(liveVisible(user, objectKey))
                .flatMap(file -> store.delete(objectKey)
                        .then(events.deleted(file, user.userId(), now))
                        .then(files.markDeleted(objectKey, now)))
                .thenReturn(new FileViews.Deleted(objectKey, true, "File deleted successfully"));
    }

    public Mono<FileViews.TaskFiles> list(DashboardPrincipal user, String taskId) {
        return requireTaskAccess(user, taskId, false)
                .then(settle(user, pending.awaitingTask(taskId), false))
                .then(files.listLive(taskId).map(FileViews.Listed::of).collectList())
                .map(list -> new FileViews.TaskFiles(taskId, list.size(), list));
    }

    /**
     * Records the files among {@code candidates} that were PUT through their upload URLs, before a read answers, so
     * the read sees them. Only pending uploads the user could read once recorded are looked at. With
     * {@code refuseOversized}, an object over the limit (deleted) makes the read a 413.
     */
    private Mono<Void> settle(DashboardPrincipal user, Flux<PendingUpload> candidates, boolean refuseOversized) {
        return candidates
                .filterWhen(upload -> mayRead(user, upload))
                .flatMap(upload -> pending.settle(upload, PendingUpload.Trigger.READ), READ_CONCURRENCY)
                .filter(outcome -> refuseOversized && outcome == PendingUpload.Outcome.OVERSIZED)
                .next()
                .flatMap(oversized -> Mono.error(tooLarge()));
    }

    private Mono<Boolean> mayRead(DashboardPrincipal user, PendingUpload upload) {
        if (user.isAdmin() || upload.issuedBy().equals(user.userId())) {
            return Mono.just(true);
        }
        return files.taskOwner(upload.taskId()).map(user.userId()::equals).defaultIfEmpty(false);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The task is the user's (or the user is admin). {@code mayCreate}: a task without files may be started by
     * anyone; otherwise a task without files is as unknown as someone else's.
     */
    private Mono<Void> requireTaskAccess(DashboardPrincipal user, String taskId, boolean mayCreate) {
        return files.taskOwner(taskId)
                .map(owner -> user.isAdmin() || owner.equals(user.userId()))
                .defaultIfEmpty(mayCreate)
                .flatMap(allowed -> allowed ? Mono.<Void>empty() : Mono.error(notFound()));
    }

    private Mono<FileRecord> liveVisible(DashboardPrincipal user, String objectKey) {
        return files.findLive(objectKey)
                .filter(file -> file.kind() != FileKind.DEVICE || user.isAdmin())
                .flatMap(file -> visible(user, file))
                .switchIfEmpty(Mono.error(FileService::notFound));
    }

    private Mono<FileRecord> visible(DashboardPrincipal user, FileRecord file) {
        if (user.isAdmin() || file.uploadedBy().equals(user.userId())) {
            return Mono.just(file);
        }
        return files.taskOwner(file.taskId()).filter(user.userId()::equals).map(owner -> file);
    }

    private FileViews.Uploaded uploaded(FileRecord file, String message) {
        return new FileViews.Uploaded(
                file.fileName(),
                file.objectKey(),
                url(file.objectKey()),
                file.sizeBytes(),
                file.contentType(),
                file.checksumSha256(),
                file.taskId(),
                file.kind().value(),
                file.createdAt(),
                message);
    }

    public String url(String key) {
        return recorder.url(key);
    }

    private String folder(FileKind kind) {
        return kind == FileKind.RESULT ? properties.resultFolder() : properties.sceneFolder();
    }

    ProblemException tooLarge() {
        return tooLarge(properties.maxSize().toBytes());
    }

    static ProblemException tooLarge(long maxSize) {
        return new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "The file is larger than " + maxSize + " bytes")
                .with("max_size", maxSize);
    }

    static ProblemException duplicate() {
        return new ProblemException(HttpStatus.CONFLICT, "The task already has a file of that name; delete it first");
    }

    static ProblemException notFound() {
        return new ProblemException(HttpStatus.NOT_FOUND, "No such file or task");
    }

    /**
     * Defence in depth against silent truncation: the size and checksum in the answer are computed from the bytes
     * handed to S3, so S3's own size must equal them. Otherwise the object is removed and the upload fails.
     */
    private Mono<Void> verifyStoredSize(String key, long expected) {
        return store.head(key).flatMap(head -> {
            Long stored = head.size();
            if (stored != null && stored == expected) {
                return Mono.<Void>empty();
            }
            return store.deleteQuietly(key)
                    .then(Mono.<Void>error(new ProblemException(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "The stored object has " + stored + " bytes instead of " + expected
                                    + "; retry the upload")));
        });
    }

    static String unquote(String etag) {
        return etag == null ? null : etag.replace("\"", "");
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
