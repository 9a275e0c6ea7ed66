package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.fileservice.domain.ExpirySeconds;
import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.domain.ResourceId;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * Bodies of the internal device-upload API (snake_case on the wire; names follow docs/contracts.md, Cameras over
 * MQTT). The requests carry their rules as constraints, checked by the controller ({@code @Valid}); the service checks
 * only what depends on its settings, the store or two fields together.
 */
public final class DeviceUploads {

    /** {@code file_size}'s rule; the configured maximum is the service's to check (a 413, not a 400). */
    static final String SIZE_RULE = "must be given and not negative";

    static final String UPLOAD_ID_RULE = "must be given";

    private DeviceUploads() {}

    /**
     * @param fileName a bare file name (the key is built from the clock) or, as source 001's firmware sends it, the
     *     full key of this device; with {@code objectKey}, that key or its file name part
     * @param contentMd5 MD5 of the whole file, base64 (as the {@code Content-MD5} header) or hex; signed into a
     *     single-PUT URL so the store refuses other bytes, and compared by verify
     * @param expireTime URL lifetime in seconds, 1 … 604800
     * @param objectKey optional: the key to sign for, a key of this device — how device-bridge gets a fresh URL for
     *     the key it handed out before, when a camera retries a request whose URL expired
     * @param multipart optional: {@code true} asks for a multipart upload whatever the size
     */
    @OwnKeys
    public record PresignRequest(
            @NotNull(message = FileNames.ID_RULE) @ResourceId String deviceId,
            @NotNull(message = "must not be blank") @DeviceFileName String fileName,
            @NotNull(message = SIZE_RULE) @PositiveOrZero(message = SIZE_RULE) Long fileSize,
            String contentType,
            @ContentMd5 String contentMd5,
            @ExpirySeconds Long expireTime,
            @DeviceObjectKey(required = false) String objectKey,
            Boolean multipart) {

        /** Whether the request asks for a multipart upload. */
        public boolean asksForMultipart() {
            return Boolean.TRUE.equals(multipart);
        }
    }

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
            @NotNull(message = FileNames.ID_RULE) @ResourceId String deviceId,
            @DeviceObjectKey String objectKey,
            @NotBlank(message = UPLOAD_ID_RULE) @Size(max = 1024, message = UPLOAD_ID_RULE) String uploadId,
            @NotNull(message = SIZE_RULE) @PositiveOrZero(message = SIZE_RULE) Long fileSize,
            List<CompletedPart> parts) {}

    public record AbortRequest(
            @DeviceObjectKey String objectKey,
            @NotBlank(message = UPLOAD_ID_RULE) @Size(max = 1024, message = UPLOAD_ID_RULE) String uploadId) {}

    public record VerifyRequest(
            @NotNull(message = FileNames.ID_RULE) @ResourceId String deviceId,
            @DeviceObjectKey String objectKey,
            @NotNull(message = SIZE_RULE) @PositiveOrZero(message = SIZE_RULE) Long fileSize,
            @ContentMd5 String contentMd5) {}

    public record Verified(
            boolean verified, String objectKey, String cloudUrl, long size, String etag, String contentType) {}
}
