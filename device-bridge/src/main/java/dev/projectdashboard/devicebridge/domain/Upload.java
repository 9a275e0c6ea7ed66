package dev.projectdashboard.devicebridge.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One camera upload, from its request to its final status.
 *
 * @param objectKey the cloud path handed out ({@code cloud_file_path})
 * @param response the JSON answer last given, repeated to a retry of the same request while its URL is valid
 * @param requestCount how many times the device sent this request (its retries)
 * @param verified whether file-service found the object as reported; {@code null} until checked
 */
public record Upload(
        String deviceId,
        String requestId,
        String objectKey,
        String fileName,
        String contentType,
        long fileSize,
        Priority priority,
        UploadState state,
        String localFilePath,
        String contentMd5,
        boolean multipart,
        String uploadId,
        String response,
        Instant urlExpiresAt,
        int requestCount,
        BigDecimal progressPercent,
        Long bytesUploaded,
        Integer speedKbps,
        Integer etaSec,
        Integer durationSec,
        Integer retryCount,
        String errorCode,
        String errorMessage,
        Boolean verified,
        Instant requestedAt,
        Instant startedAt,
        Instant finishedAt,
        Instant updatedAt) {

    /**
     * A request just answered with a URL: {@link UploadState#REQUESTED}, sent once, no progress yet.
     *
     * @param response the JSON answer given
     * @param urlExpiresAt when that answer's URL expires
     */
    public static Upload requested(
            String deviceId,
            String requestId,
            String objectKey,
            String fileName,
            String contentType,
            long fileSize,
            Priority priority,
            String contentMd5,
            boolean multipart,
            String uploadId,
            String response,
            Instant urlExpiresAt,
            Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                UploadState.REQUESTED,
                null,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                1,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                at,
                null,
                null,
                at);
    }

    /** The camera began uploading its local file {@code localFile}. */
    public Upload started(String localFile, Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                UploadState.STARTED,
                localFile,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                requestCount,
                BigDecimal.ZERO,
                0L,
                null,
                null,
                null,
                retryCount,
                null,
                null,
                null,
                requestedAt,
                at,
                null,
                at);
    }

    public Upload progressed(BigDecimal percent, Long bytes, Integer speed, Integer eta, Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                UploadState.IN_PROGRESS,
                localFilePath,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                requestCount,
                percent,
                bytes,
                speed,
                eta,
                durationSec,
                retryCount,
                errorCode,
                errorMessage,
                verified,
                requestedAt,
                startedAt == null ? at : startedAt,
                finishedAt,
                at);
    }

    public Upload completed(Integer duration, Integer averageSpeed, Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                UploadState.COMPLETED,
                localFilePath,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                requestCount,
                BigDecimal.valueOf(100),
                fileSize,
                averageSpeed,
                0,
                duration,
                retryCount,
                null,
                null,
                verified,
                requestedAt,
                startedAt,
                at,
                at);
    }

    public Upload failed(String code, String message, Integer retries, Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                UploadState.FAILED,
                localFilePath,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                requestCount,
                progressPercent,
                bytesUploaded,
                speedKbps,
                etaSec,
                durationSec,
                retries,
                code,
                message,
                verified,
                requestedAt,
                startedAt,
                at,
                at);
    }

    /** file-service's check after completion; a mismatch fails the upload. */
    public Upload checked(boolean ok, String reason, Instant at) {
        return new Upload(
                deviceId,
                requestId,
                objectKey,
                fileName,
                contentType,
                fileSize,
                priority,
                ok ? state : UploadState.FAILED,
                localFilePath,
                contentMd5,
                multipart,
                uploadId,
                response,
                urlExpiresAt,
                requestCount,
                progressPercent,
                bytesUploaded,
                speedKbps,
                etaSec,
                durationSec,
                retryCount,
                ok ? errorCode : "VERIFICATION_FAILED",
                ok ? errorMessage : reason,
                ok,
                requestedAt,
                startedAt,
                finishedAt,
                at);
    }
}
