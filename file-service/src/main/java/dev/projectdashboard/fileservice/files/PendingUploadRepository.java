package dev.projectdashboard.fileservice.files;

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
 * Pending uploads over R2DBC. Every change that must happen once across replicas is one statement: a row is claimed
 * for recording by the statement that also writes the file row, and leased by the sweep with {@code skip locked}.
 */
@Repository
class PendingUploadRepository {

    private static final String COLUMNS = "object_key, kind, folder, task_id, file_name, content_type, declared_size,"
            + " issued_by, issued_at, expires_at, recorded_at";

    private final DatabaseClient database;

    PendingUploadRepository(DatabaseClient database) {
        this.database = database;
    }

    /**
     * Records an issued URL; a second URL for the same key takes over the row (its issuer, type and size) and keeps
     * the later expiry. A row already being recorded is left alone: its file is live.
     */
    Mono<Void> save(PendingUpload pending, Instant firstCheck) {
        DatabaseClient.GenericExecuteSpec insert = database.sql(
                        "insert into pending_upload (" + COLUMNS + ", next_check_at) values (:key, :kind,"
                                + " :folder, :task, :name, :type, :size, :by, :issued, :expires, null, :check)"
                                + " on conflict (object_key) do update set kind = excluded.kind, folder = excluded.folder,"
                                + " content_type = excluded.content_type, declared_size = excluded.declared_size,"
                                + " issued_by = excluded.issued_by, issued_at = excluded.issued_at,"
                                + " expires_at = greatest(pending_upload.expires_at, excluded.expires_at),"
                                + " next_check_at = excluded.next_check_at where pending_upload.recorded_at is null")
                .bind("key", pending.objectKey())
                .bind("kind", pending.kind().value())
                .bind("folder", pending.folder())
                .bind("task", pending.taskId())
                .bind("name", pending.fileName())
                .bind("type", pending.contentType())
                .bind("by", pending.issuedBy())
                .bind("issued", utc(pending.issuedAt()))
                .bind("expires", utc(pending.expiresAt()))
                .bind("check", utc(firstCheck));
        insert = pending.declaredSize() == null
                ? insert.bindNull("size", Long.class)
                : insert.bind("size", pending.declaredSize());
        return insert.fetch().rowsUpdated().then();
    }

    Mono<PendingUpload> find(String objectKey) {
        return database.sql("select " + COLUMNS + " from pending_upload where object_key = :key")
                .bind("key", objectKey)
                .map(PendingUploadRepository::row)
                .one();
    }

    /** The task's pending uploads of that name (of the given kind, or of any kind). */
    Flux<PendingUpload> findByName(String taskId, String fileName, FileKind kind) {
        String kindFilter = kind == null ? "" : " and kind = '" + kind.value() + "'";
        return database.sql("select " + COLUMNS + " from pending_upload where task_id = :task and file_name = :name"
                        + kindFilter + " order by issued_at")
                .bind("task", taskId)
                .bind("name", fileName)
                .map(PendingUploadRepository::row)
                .all();
    }

    /** The task's oldest pending uploads, at most {@code limit}. */
    Flux<PendingUpload> findByTask(String taskId, int limit) {
        return database.sql("select " + COLUMNS + " from pending_upload where task_id = :task order by issued_at"
                        + " limit :limit")
                .bind("task", taskId)
                .bind("limit", limit)
                .map(PendingUploadRepository::row)
                .all();
    }

    /**
     * Claims the pending upload and writes its file row from what the store reported, in one statement: of two
     * replicas or requests doing this at once, exactly one gets the row back; the other waits for its commit and
     * gets nothing. The pending row stays (marked recorded, next looked at after {@code recheckAt}) until the event
     * is out. A live file of the same key makes the statement fail (unique index): the caller drops the claim.
     */
    Mono<FileRecord> claim(
            String objectKey, String contentType, long size, String etag, Instant now, Instant recheckAt) {
        return database.sql("with claimed as (update pending_upload set recorded_at = :now, next_check_at = :recheck"
                        + " where object_key = :key and recorded_at is null"
                        + " returning object_key, kind, folder, task_id, file_name, issued_by)"
                        + " insert into file_object (" + FileRepository.COLUMNS + ") select object_key, kind,"
                        + " folder, task_id, file_name, :type, :size, :etag, '', issued_by, :now from claimed"
                        + " returning " + FileRepository.COLUMNS)
                .bind("key", objectKey)
                .bind("now", utc(now))
                .bind("recheck", utc(recheckAt))
                .bind("type", contentType == null ? "" : contentType)
                .bind("size", size)
                .bind("etag", etag == null ? "" : etag)
                .map(FileRepository::row)
                .one();
    }

    /** Forgets a pending upload: its event is out, or there is nothing left to record. */
    Mono<Void> delete(String objectKey) {
        return database.sql("delete from pending_upload where object_key = :key")
                .bind("key", objectKey)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** Drops a pending upload that was not claimed: a live file of its key was recorded by other means. */
    Mono<Void> deleteUnclaimed(String objectKey) {
        return database.sql("delete from pending_upload where object_key = :key and recorded_at is null")
                .bind("key", objectKey)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /**
     * Leases up to {@code batch} pending uploads that are due, moving their next check to {@code until} so no other
     * sweep (on this or another replica) takes them meanwhile.
     */
    Flux<PendingUpload> leaseDue(Instant now, Instant until, int batch) {
        return database.sql("update pending_upload set next_check_at = :until where object_key in (select object_key"
                        + " from pending_upload where next_check_at <= :now order by next_check_at limit :batch"
                        + " for update skip locked) returning " + COLUMNS)
                .bind("now", utc(now))
                .bind("until", utc(until))
                .bind("batch", batch)
                .map(PendingUploadRepository::row)
                .all();
    }

    private static PendingUpload row(Readable row) {
        return new PendingUpload(
                row.get("object_key", String.class),
                FileKind.valueOf(row.get("kind", String.class).toUpperCase(Locale.ROOT)),
                row.get("folder", String.class),
                row.get("task_id", String.class),
                row.get("file_name", String.class),
                row.get("content_type", String.class),
                row.get("declared_size", Long.class),
                row.get("issued_by", String.class),
                instant(row.get("issued_at", OffsetDateTime.class)),
                instant(row.get("expires_at", OffsetDateTime.class)),
                instant(row.get("recorded_at", OffsetDateTime.class)));
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
