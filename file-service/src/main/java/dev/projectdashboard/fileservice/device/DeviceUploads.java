package dev.projectdashboard.fileservice.device;

import java.util.List;
import java.util.Map;

/**
 * Bodies of the internal device-upload API (snake_case on the wire; names follow docs/contracts.md, Cameras over
 * MQTT).
 */
public final class DeviceUploads {

    private DeviceUploads() {}

    /**
     * @param contentMd5 MD5 of the whole file, base64 (as the {@code Content-MD5} header) or hex; signed into a
     *     single-PUT URL so the store refuses other bytes, and compared by verify
     * @param expireTime URL lifetime in seconds, 1 … 604800
     */
    public record PresignRequest(
            String deviceId, String fileName, Long fileSize, String contentType, String contentMd5, Long expireTime) {}

    public record Part(int partNumber, String uploadUrl, String method, Map<String, String> headers) {}

    public record Presigned(
            boolean success,
            boolean multipart,
            String uploadUrl,
            String method,
            String contentType,
            String cloudFilePath,
            String objectKey,
            long expiresAt,
            long expiresIn,
            Map<String, String> extraHeaders,
            String uploadId,
            Long partSize,
            Integer partCount,
            List<Part> parts) {}

    public record UploadedPart(int partNumber, String etag, long size) {}

    public record PartsStatus(
            String objectKey,
            String uploadId,
            long partSize,
            int partCount,
            List<UploadedPart> uploaded,
            List<Part> missing) {}

    public record CompletedPart(int partNumber, String etag) {}

    /** {@code parts} may be omitted: the parts the store has are used, which must then be all of them. */
    public record CompleteRequest(
            String deviceId, String objectKey, String uploadId, Long fileSize, List<CompletedPart> parts) {}

    public record AbortRequest(String objectKey, String uploadId) {}

    public record VerifyRequest(String deviceId, String objectKey, Long fileSize, String contentMd5) {}

    public record Verified(
            boolean verified, String objectKey, String cloudUrl, long size, String etag, String contentType) {}
}
