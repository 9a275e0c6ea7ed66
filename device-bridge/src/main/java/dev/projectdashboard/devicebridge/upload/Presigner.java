package dev.projectdashboard.devicebridge.upload;

import dev.projectdashboard.devicebridge.domain.UploadAnswer;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * Signs upload URLs and checks uploaded objects (file-service's internal device API). Errors are
 * {@link dev.projectdashboard.devicebridge.domain.UploadRefused} with the code the device should see.
 */
public interface Presigner {

    /**
     * @param fileName the request's {@code file_name} (full cloud path or bare name)
     * @param objectKey the key to sign again for a repeated request, or {@code null} for a new upload
     */
    record Call(
            String deviceId,
            String fileName,
            String objectKey,
            long fileSize,
            String contentType,
            String contentMd5,
            boolean multipart,
            long expirySeconds) {}

    record Presigned(
            boolean multipart,
            String uploadUrl,
            String method,
            String contentType,
            String objectKey,
            long expiresAt,
            Map<String, String> extraHeaders,
            String uploadId,
            Long partSize,
            Integer partCount,
            List<UploadAnswer.Part> parts) {}

    /** Whether the stored object is what the device reported; {@code reason} says what differs. */
    record Verification(boolean verified, String reason) {}

    Mono<Presigned> presign(Call call);

    /** Fresh URLs for the parts a multipart upload still misses. */
    Mono<Presigned> resume(String deviceId, String objectKey, String uploadId, long fileSize, long expirySeconds);

    /** Completes a multipart upload from the parts the store has, then checks it like {@link #verify}. */
    Mono<Verification> complete(String deviceId, String objectKey, String uploadId, long fileSize);

    /** {@code verified:false} on a mismatch; errors when file-service cannot answer. */
    Mono<Verification> verify(String deviceId, String objectKey, long fileSize, String contentMd5);
}
