package dev.projectdashboard.fileservice.persistence;

import dev.projectdashboard.fileservice.domain.FileKind;
import dev.projectdashboard.fileservice.domain.FileRecord;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Locale;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Metadata rows over R2DBC; only live rows ({@code deleted_at is null}) are ever read. */
@Repository
public class FileRepository {

    static final String COLUMNS =
            "object_key, kind, folder, task_id, file_name, content_type, size_bytes, etag, checksum_sha256, uploaded_by, created_at";

    private final DatabaseClient database;

    FileRepository(DatabaseClient database) {
        this.database = database;
    }

    public Mono<FileRecord> insert(FileRecord file) {
        return database.sql("insert into file_object (" + COLUMNS + ") values (:key, :kind, :folder, :task, :name,"
                        + " :type, :size, :etag, :sha, :by, :created)")
                .bind("key", file.objectKey())
                .bind("kind", file.kind().value())
                .bind("folder", file.folder())
                .bind("task", file.taskId())
                .bind("name", file.fileName())
                .bind("type", file.contentType() == null ? "" : file.contentType())
                .bind("size", file.sizeBytes())
                .bind("etag", file.etag() == null ? "" : file.etag())
                .bind("sha", file.checksumSha256() == null ? "" : file.checksumSha256())
                .bind("by", file.uploadedBy())
                .bind("created", file.createdAt().atOffset(java.time.ZoneOffset.UTC))
                .fetch()
                .rowsUpdated()
                .thenReturn(file);
    }

    public Mono<FileRecord> findLive(String objectKey) {
        return database.sql("select " + COLUMNS + " from file_object where object_key = :key and deleted_at is null")
                .bind("key", objectKey)
                .map(FileRepository::row)
                .one();
    }

    /** The newest live file of that name in the task, of the given kind or of any kind. */
    public Mono<FileRecord> findLive(String taskId, String fileName, FileKind kind) {
        String kindFilter = kind == null ? "" : " and kind = '" + kind.value() + "'";
        return database.sql("select " + COLUMNS + " from file_object where task_id = :task and file_name = :name"
                        + " and deleted_at is null" + kindFilter + " order by created_at desc limit 1")
                .bind("task", taskId)
                .bind("name", fileName)
                .map(FileRepository::row)
                .one();
    }

    public Flux<FileRecord> listLive(String taskId) {
        return database.sql("select " + COLUMNS + " from file_object where task_id = :task and deleted_at is null"
                        + " and kind <> 'device' order by created_at, object_key")
                .bind("task", taskId)
                .map(FileRepository::row)
                .all();
    }

    /**
     * Who owns a task: the user behind its earliest live file; for a task without files, the user who asked for its
     * earliest upload URL still valid (the URL binds the task to them until the file is recorded or the URL expires).
     * Empty for a task with neither.
     */
    public Mono<String> taskOwner(String taskId) {
        return database.sql("select owner from (select uploaded_by as owner, 0 as source, created_at as at, id as seq"
                        + " from file_object where task_id = :task and deleted_at is null and kind <> 'device'"
                        + " union all select issued_by, 1, issued_at, 0 from pending_upload where task_id = :task"
                        + " and expires_at > now()) candidates order by source, at, seq limit 1")
                .bind("task", taskId)
                .map(row -> row.get(0, String.class))
                .one();
    }

    public Mono<Boolean> markDeleted(String objectKey, Instant when) {
        return database.sql("update file_object set deleted_at = :when where object_key = :key and deleted_at is null")
                .bind("key", objectKey)
                .bind("when", when.atOffset(java.time.ZoneOffset.UTC))
                .fetch()
                .rowsUpdated()
                .map(count -> count > 0);
    }

    /** Removes a row written moments ago whose upload could not be completed (compensation, not deletion). */
    public Mono<Void> remove(String objectKey) {
        return database.sql("delete from file_object where object_key = :key and deleted_at is null")
                .bind("key", objectKey)
                .fetch()
                .rowsUpdated()
                .then();
    }

    static FileRecord row(Readable row) {
        OffsetDateTime created = row.get("created_at", OffsetDateTime.class);
        return new FileRecord(
                row.get("object_key", String.class),
                FileKind.valueOf(row.get("kind", String.class).toUpperCase(Locale.ROOT)),
                row.get("folder", String.class),
                row.get("task_id", String.class),
                row.get("file_name", String.class),
                emptyToNull(row.get("content_type", String.class)),
                row.get("size_bytes", Long.class),
                emptyToNull(row.get("etag", String.class)),
                emptyToNull(row.get("checksum_sha256", String.class)),
                row.get("uploaded_by", String.class),
                created == null ? null : created.toInstant());
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
