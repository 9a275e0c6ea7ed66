package dev.projectdashboard.fileservice.files;

import java.time.Instant;

/**
 * An upload URL that was issued and whose object is not recorded yet ({@code files.pending_upload}).
 *
 * @param declaredSize the size signed into the URL as {@code Content-Length}, or {@code null}
 * @param recordedAt when the file row was written; non-null while its {@code file.uploaded} is still to be published
 */
public record PendingUpload(
        String objectKey,
        FileKind kind,
        String folder,
        String taskId,
        String fileName,
        String contentType,
        Long declaredSize,
        String issuedBy,
        Instant issuedAt,
        Instant expiresAt,
        Instant recordedAt) {

    boolean recorded() {
        return recordedAt != null;
    }
}
