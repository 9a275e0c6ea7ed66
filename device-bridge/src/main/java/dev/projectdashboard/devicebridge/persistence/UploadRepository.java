package dev.projectdashboard.devicebridge.persistence;

import static dev.projectdashboard.devicebridge.persistence.DeviceRepository.at;
import static dev.projectdashboard.devicebridge.persistence.DeviceRepository.instant;

import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.devicebridge.domain.UploadState;
import dev.projectdashboard.devicebridge.status.StatusStore;
import dev.projectdashboard.devicebridge.upload.UploadStore;
import dev.projectdashboard.starter.batch.Batcher;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Camera uploads, {@code devices.device_upload}: one row per device and request id. */
@Repository
public class UploadRepository implements UploadStore, StatusStore {

    private static final String COLUMNS = "device_id, request_id, object_key, file_name, content_type, file_size,"
            + " priority, status, local_file_path, content_md5, multipart, upload_id, response, url_expires_at,"
            + " request_count, progress_percent, bytes_uploaded, speed_kbps, eta_sec, duration_sec, retry_count,"
            + " error_code, error_message, verified, requested_at, started_at, finished_at, updated_at";

    /** Rows per insert statement at most: 14 parameters each, far below PostgreSQL's 65,535. */
    private static final int INSERT_BATCH = 50;

    /** The named parameters of one inserted row before its two timestamps, in the statement's column order. */
    private static final List<String> INSERTED = List.of(
            "device",
            "request",
            "key",
            "name",
            "type",
            "size",
            "priority",
            "status",
            "md5",
            "multipart",
            "upload",
            "response",
            "expires");

    /** Insert statements out at once; what arrives meanwhile goes in the next. */
    private static final int INSERTS_IN_FLIGHT = 4;

    private final DatabaseClient database;
    private final Batcher<Upload, Boolean> inserts;

    UploadRepository(DatabaseClient database) {
        this.database = database;
        this.inserts = new Batcher<>("upload insert", this::insertAll, INSERT_BATCH, INSERTS_IN_FLIGHT);
    }

    @Override
    public Mono<Upload> find(String deviceId, String requestId) {
        return database.sql(
                        "select " + COLUMNS + " from device_upload where device_id = :device and request_id = :request")
                .bind("device", deviceId)
                .bind("request", requestId)
                .map(UploadRepository::upload)
                .one();
    }

    @Override
    public Mono<Boolean> insert(Upload upload) {
        return inserts.submit(upload);
    }

    /**
     * The uploads of a batch in one statement (one round trip and one commit however many there are); each is
     * {@code true} when its row is new. A request id already stored, or twice in the batch, is inserted once: the
     * first of the batch is the new one.
     */
    private Mono<List<Boolean>> insertAll(List<Upload> uploads) {
        StringBuilder sql = new StringBuilder("insert into device_upload (device_id, request_id, object_key, file_name,"
                + " content_type, file_size, priority, status, content_md5, multipart, upload_id, response,"
                + " url_expires_at, request_count, requested_at, updated_at) values ");
        for (int i = 0; i < uploads.size(); i++) {
            String row = "_" + i;
            sql.append(i == 0 ? "(" : ", (")
                    .append(INSERTED.stream().map(name -> ":" + name + row).collect(Collectors.joining(", ")))
                    .append(", 1, :now")
                    .append(row)
                    .append(", :now")
                    .append(row)
                    .append(")");
        }
        sql.append(" on conflict (device_id, request_id) do nothing returning device_id, request_id");
        DatabaseClient.GenericExecuteSpec insert = database.sql(sql.toString());
        for (int i = 0; i < uploads.size(); i++) {
            Upload upload = uploads.get(i);
            insert = insert.bind("device_" + i, upload.deviceId())
                    .bind("request_" + i, upload.requestId())
                    .bind("key_" + i, upload.objectKey())
                    .bind("name_" + i, upload.fileName())
                    .bind("type_" + i, text(upload.contentType()))
                    .bind("size_" + i, upload.fileSize())
                    .bind("priority_" + i, (short) upload.priority().value())
                    .bind("status_" + i, upload.state().value())
                    .bind("md5_" + i, text(upload.contentMd5()))
                    .bind("multipart_" + i, upload.multipart())
                    .bind("upload_" + i, text(upload.uploadId()))
                    .bind("response_" + i, text(upload.response()))
                    .bind("expires_" + i, at(upload.urlExpiresAt()))
                    .bind("now_" + i, at(upload.requestedAt()));
        }
        return insert.map(row -> List.of(row.get("device_id", String.class), row.get("request_id", String.class)))
                .all()
                .collect(Collectors.toSet())
                .map(inserted -> {
                    List<Boolean> answers = new ArrayList<>(uploads.size());
                    for (Upload upload : uploads) {
                        // remove: a second row of the same request in this batch is not new
                        answers.add(inserted.remove(List.of(upload.deviceId(), upload.requestId())));
                    }
                    return answers;
                });
    }

    @Override
    public Mono<Void> repeated(String deviceId, String requestId, String response, Instant urlExpiresAt, Instant now) {
        return database.sql(
                        "update device_upload set request_count = request_count + 1, response = :response,"
                                + " url_expires_at = :expires, updated_at = :now where device_id = :device and request_id = :request")
                .bind("device", deviceId)
                .bind("request", requestId)
                .bind("response", response)
                .bind("expires", at(urlExpiresAt))
                .bind("now", at(now))
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<Upload> findByObjectKey(String deviceId, String objectKey) {
        return database.sql("select " + COLUMNS + " from device_upload where device_id = :device and object_key = :key"
                        + " order by requested_at desc limit 1")
                .bind("device", deviceId)
                .bind("key", objectKey)
                .map(UploadRepository::upload)
                .one();
    }

    @Override
    public Mono<Upload> findByLocalFile(String deviceId, String localFilePath) {
        return database.sql("select " + COLUMNS + " from device_upload where device_id = :device"
                        + " and local_file_path = :path"
                        + " order by (status in ('completed', 'failed')), requested_at desc limit 1")
                .bind("device", deviceId)
                .bind("path", localFilePath)
                .map(UploadRepository::upload)
                .one();
    }

    @Override
    public Mono<Void> update(Upload upload) {
        return database.sql("update device_upload set status = :status, local_file_path = :path,"
                        + " progress_percent = :percent, bytes_uploaded = :bytes, speed_kbps = :speed, eta_sec = :eta,"
                        + " duration_sec = :duration, retry_count = :retries, error_code = :code,"
                        + " error_message = :message, verified = :verified, started_at = :started,"
                        + " finished_at = :finished, updated_at = :updated"
                        + " where device_id = :device and request_id = :request")
                .bind("device", upload.deviceId())
                .bind("request", upload.requestId())
                .bind("status", upload.state().value())
                .bind("path", text(upload.localFilePath()))
                .bind("percent", Parameter.fromOrEmpty(upload.progressPercent(), BigDecimal.class))
                .bind("bytes", Parameter.fromOrEmpty(upload.bytesUploaded(), Long.class))
                .bind("speed", Parameter.fromOrEmpty(upload.speedKbps(), Integer.class))
                .bind("eta", Parameter.fromOrEmpty(upload.etaSec(), Integer.class))
                .bind("duration", Parameter.fromOrEmpty(upload.durationSec(), Integer.class))
                .bind("retries", Parameter.fromOrEmpty(upload.retryCount(), Integer.class))
                .bind("code", text(upload.errorCode()))
                .bind("message", text(upload.errorMessage()))
                .bind("verified", Parameter.fromOrEmpty(upload.verified(), Boolean.class))
                .bind(
                        "started",
                        Parameter.fromOrEmpty(
                                upload.startedAt() == null ? null : at(upload.startedAt()),
                                java.time.OffsetDateTime.class))
                .bind(
                        "finished",
                        Parameter.fromOrEmpty(
                                upload.finishedAt() == null ? null : at(upload.finishedAt()),
                                java.time.OffsetDateTime.class))
                .bind("updated", at(upload.updatedAt()))
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** The device's uploads, newest first, requested before {@code before} when given. */
    public Flux<Upload> history(String deviceId, Instant before, int limit) {
        return database.sql("select " + COLUMNS + " from device_upload where device_id = :device"
                        + (before == null ? "" : " and requested_at < :before")
                        + " order by requested_at desc limit :limit")
                .bind("device", deviceId)
                .bind("limit", limit)
                .bindValues(before == null ? java.util.Map.of() : java.util.Map.of("before", at(before)))
                .map(UploadRepository::upload)
                .all();
    }

    /** The device's newest upload still under way, if any. */
    public Mono<Upload> current(String deviceId) {
        return database.sql("select " + COLUMNS + " from device_upload where device_id = :device"
                        + " and status in ('requested', 'started', 'in_progress') order by requested_at desc limit 1")
                .bind("device", deviceId)
                .map(UploadRepository::upload)
                .one();
    }

    private static Upload upload(Readable row) {
        Short priority = row.get("priority", Short.class);
        return new Upload(
                row.get("device_id", String.class),
                row.get("request_id", String.class),
                row.get("object_key", String.class),
                row.get("file_name", String.class),
                row.get("content_type", String.class),
                row.get("file_size", Long.class),
                Priority.of(priority == null ? 1 : priority),
                UploadState.of(row.get("status", String.class)),
                row.get("local_file_path", String.class),
                row.get("content_md5", String.class),
                Boolean.TRUE.equals(row.get("multipart", Boolean.class)),
                row.get("upload_id", String.class),
                row.get("response", String.class),
                instant(row, "url_expires_at"),
                row.get("request_count", Integer.class),
                row.get("progress_percent", BigDecimal.class),
                row.get("bytes_uploaded", Long.class),
                row.get("speed_kbps", Integer.class),
                row.get("eta_sec", Integer.class),
                row.get("duration_sec", Integer.class),
                row.get("retry_count", Integer.class),
                row.get("error_code", String.class),
                row.get("error_message", String.class),
                row.get("verified", Boolean.class),
                instant(row, "requested_at"),
                instant(row, "started_at"),
                instant(row, "finished_at"),
                instant(row, "updated_at"));
    }

    private static Parameter text(String value) {
        return Parameter.fromOrEmpty(value, String.class);
    }
}
