package dev.projectdashboard.fileservice.persistence;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** The multipart uploads file-service started for devices ({@code files.device_multipart_upload}). */
@Repository
public class DeviceMultipartUploads {

    private final DatabaseClient database;

    DeviceMultipartUploads(DatabaseClient database) {
        this.database = database;
    }

    public Mono<Void> started(String uploadId, String objectKey, String deviceId, long fileSize) {
        return database.sql("insert into device_multipart_upload (upload_id, object_key, device_id, file_size)"
                        + " values (:upload, :key, :device, :size)")
                .bind("upload", uploadId)
                .bind("key", objectKey)
                .bind("device", deviceId)
                .bind("size", fileSize)
                .fetch()
                .rowsUpdated()
                .then();
    }

    /** Whether file-service started {@code uploadId} for {@code objectKey}. */
    public Mono<Boolean> exists(String uploadId, String objectKey) {
        return database.sql("select 1 from device_multipart_upload where upload_id = :upload and object_key = :key")
                .bind("upload", uploadId)
                .bind("key", objectKey)
                .map(row -> true)
                .one()
                .defaultIfEmpty(false);
    }

    public Mono<Void> finished(String uploadId) {
        return database.sql("delete from device_multipart_upload where upload_id = :upload")
                .bind("upload", uploadId)
                .fetch()
                .rowsUpdated()
                .then();
    }
}
