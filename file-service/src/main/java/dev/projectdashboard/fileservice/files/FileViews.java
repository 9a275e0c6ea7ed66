package dev.projectdashboard.fileservice.files;

import dev.projectdashboard.fileservice.domain.FileRecord;
import java.time.Instant;
import java.util.Map;

/** Response bodies of the public API (snake_case on the wire, field names as in docs/contracts.md, Files). */
public final class FileViews {

    private FileViews() {}

    public record Uploaded(
            String filename,
            String objectKey,
            String url,
            long size,
            String contentType,
            String checksumSha256,
            String taskId,
            String kind,
            Instant uploadedAt,
            String message) {}

    public record DownloadUrl(
            String downloadUrl, String filename, String objectKey, long expiresIn, Instant expiresAt) {}

    public record UploadUrl(
            String uploadUrl,
            String objectKey,
            String filename,
            long expiresIn,
            Instant expiresAt,
            String method,
            Map<String, String> headers) {}

    public record Info(
            String objectKey,
            String filename,
            String taskId,
            String kind,
            long size,
            String contentType,
            String etag,
            Instant lastModified,
            String checksumSha256,
            String uploadedBy,
            Instant uploadedAt,
            Map<String, String> metadata) {}

    public record Listed(
            String objectKey,
            String filename,
            String kind,
            long size,
            String contentType,
            String checksumSha256,
            Instant uploadedAt) {

        static Listed of(FileRecord file) {
            return new Listed(
                    file.objectKey(),
                    file.fileName(),
                    file.kind().value(),
                    file.sizeBytes(),
                    file.contentType(),
                    file.checksumSha256(),
                    file.createdAt());
        }
    }

    public record TaskFiles(String taskId, int count, java.util.List<Listed> files) {}

    public record Deleted(String objectKey, boolean deleted, String message) {}
}
