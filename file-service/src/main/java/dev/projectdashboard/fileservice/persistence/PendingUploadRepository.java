package dev.projectdashboard.fileservice.persistence;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileRecord;
import dev.projectdashboard.fileservice.domain.PendingUpload;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pending uploads over R2DBC. What must happen once across replicas is one statement: a URL is claimed by the
 * statement that also writes its file row (the live-key unique index lets one URL of a key win), and a sweep leases
 * rows with {@code skip locked}.
 */
@Repository
public class PendingUploadRepository {

    private static final String COLUMNS = "staging_key, object_key, kind, folder, task_id, file_name, content_type,"
            + " declared_size, issued_by, issuer_admin, issued_at, expires_at, recorded_at, published_at";

    private final DatabaseClient database;

    PendingUploadRepository(DatabaseClient database) {
        this.database = database;
    }

    /** Records an issued URL, first looked at by the sweep at {@code firstCheck}. */
    public Mono<Void> insert(PendingUpload pending, Instant firstCheck) {
        DatabaseClient.GenericExecuteSpec insert = database.sql("insert into pending_upload (" + COLUMNS
                        + ", next_check_at) values (:staging, :key, :kind, :folder, :task, :name, :type, :size, :by,"
                        + " :admin, :issued, :expires, null, null, :check) on conflict (staging_key) do nothing")
                .bind("staging", pending.stagingKey())
                .bind("key", pending.objectKey())
                .bind("kind", pending.kind().value())
                .bind("folder", pending.folder())
                .bind("task", pending.taskId())
                .bind("name", pending.fileName())
                .bind("type", pending.contentType())
                .bind("by", pending.issuedBy())
                .bind("admin", pending.issuerAdmin())
                .bind("issued", utc(pending.issuedAt()))
                .bind("expires", utc(pending.expiresAt()))
                .bind("check", utc(firstCheck));
        insert = pending.declaredSize() == null
                ? insert.bindNull("size", Long.class)
                : insert.bind("size", pending.declaredSize());
        return insert.fetch().rowsUpdated().then();
    }

    /** The URLs still awaiting an object for {@code objectKey}, oldest first. */
    public Flux<PendingUpload> awaitingKey(String objectKey) {
        return awaiting("object_key = :key", "key", objectKey, 1000);
    }

    /** The task's URLs still awaiting an object for that name (of the given kind, or of any kind). */
    public Flux<PendingUpload> awaitingName(String taskId, String fileName, FileKind kind) {
        String kindFilter = kind == null ? "" : " and kind = '" + kind.value() + "'";
        return database.sql("select " + COLUMNS + " from pending_upload where task_id = :task and file_name = :name"
                        + kindFilter + " and recorded_at is null order by issued_at")
                .bind("task", taskId)
                .bind("name", fileName)
                .map(PendingUploadRepository::row)
                .all();
    }

    /** The task's oldest URLs still awaiting an object, at most {@code limit}. */
    public Flux<PendingUpload> awaitingTask(String taskId, int limit) {
        return awaiting("task_id = :task", "task", taskId, limit);
    }

    private Flux<PendingUpload> awaiting(String filter, String name, String value, int limit) {
        return database.sql("select " + COLUMNS + " from pending_upload where " + filter
                        + " and recorded_at is null order by issued_at limit :limit")
                .bind(name, value)
                .bind("limit", limit)
                .map(PendingUploadRepository::row)
                .all();
    }

    /**
     * Claims a URL and writes its file row from what the store reported, in one statement: of two requests or
     * replicas doing this at once, exactly one gets the row back, the other (once the first committed) nothing.
     * Another URL of the same key, or a streamed upload, that recorded the key first makes it fail on the live-key
     * unique index. Run in a transaction with the copy: until it commits, others wait on the row and the index.
     */
    public Mono<FileRecord> claim(
            String stagingKey, String contentType, long size, String etag, Instant now, Instant recheckAt) {
        return database.sql("with claimed as (update pending_upload set recorded_at = :now, next_check_at = :recheck"
                        + " where staging_key = :staging and recorded_at is null"
                        + " returning object_key, kind, folder, task_id, file_name, issued_by)"
                        + " insert into file_object (" + FileRepository.COLUMNS + ") select object_key, kind,"
                        + " folder, task_id, file_name, :type, :size, :etag, '', issued_by, :now from claimed"
                        + " returning " + FileRepository.COLUMNS)
                .bind("staging", stagingKey)
                .bind("now", utc(now))
                .bind("recheck", utc(recheckAt))
                .bind("type", contentType == null ? "" : contentType)
                .bind("size", size)
                .bind("etag", etag == null ? "" : etag)
                .map(FileRepository::row)
                .one();
    }

    /** Its event is out; the row is looked at once more at {@code cleanupAt}, after the URL expired. */
    public Mono<Void> published(String stagingKey, Instant now, Instant cleanupAt) {
        return database.sql("update pending_upload set published_at = :now, next_check_at = :cleanup"
                        + " where staging_key = :staging")
                .bind("staging", stagingKey)
                .bind("now", utc(now))
                .bind("cleanup", utc(cleanupAt))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** Forgets a URL that has nothing more to record or clean. */
    public Mono<Void> delete(String stagingKey) {
        return database.sql("delete from pending_upload where staging_key = :staging")
                .bind("staging", stagingKey)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * Leases up to {@code batch} pending uploads that are due, moving their next check to {@code until} so no other
     * sweep (on this or another replica) takes them meanwhile.
     */
    public Flux<PendingUpload> leaseDue(Instant now, Instant until, int batch) {
        return database.sql("update pending_upload set next_check_at = :until where staging_key in (select"
                        + " staging_key from pending_upload where next_check_at <= :now order by next_check_at"
                        + " limit :batch for update skip locked) returning " + COLUMNS)
                .bind("now", utc(now))
                .bind("until", utc(until))
                .bind("batch", batch)
                .map(PendingUploadRepository::row)
                .all();
    }

    private static PendingUpload row(Readable row) {
        return new PendingUpload(
                row.get("staging_key", String.class),
                row.get("object_key", String.class),
                FileKind.valueOf(row.get("kind", String.class).toUpperCase(Locale.ROOT)),
                row.get("folder", String.class),
                row.get("task_id", String.class),
                row.get("file_name", String.class),
                row.get("content_type", String.class),
                row.get("declared_size", Long.class),
                row.get("issued_by", String.class),
                Boolean.TRUE.equals(row.get("issuer_admin", Boolean.class)),
                instant(row.get("issued_at", OffsetDateTime.class)),
                instant(row.get("expires_at", OffsetDateTime.class)),
                instant(row.get("recorded_at", OffsetDateTime.class)),
                instant(row.get("published_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
