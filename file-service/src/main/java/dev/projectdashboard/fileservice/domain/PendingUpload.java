package dev.projectdashboard.fileservice.domain;

import java.time.Instant;

/**
 * An issued upload URL ({@code files.pending_upload}): the client PUTs to {@code stagingKey}; the object is recorded
 * as {@code objectKey}.
 *
 * @param stagingKey where the URL writes; {@code objectKey} itself for a URL issued before pending uploads existed
 * @param declaredSize the size signed into the URL as {@code Content-Length}, or {@code null}
 * @param issuerAdmin the URL was issued to an admin, who may record into a task owned by someone else
 * @param recordedAt when this URL's object became the file; {@code null} while it is still awaited
 * @param publishedAt when its {@code file.uploaded} went out; until the URL expires the row stays, so that a later
 *     PUT through the same URL is removed
 */
public record PendingUpload(
        String stagingKey,
        String objectKey,
        FileKind kind,
        String folder,
        String taskId,
        String fileName,
        String contentType,
        Long declaredSize,
        String issuedBy,
        boolean issuerAdmin,
        Instant issuedAt,
        Instant expiresAt,
        Instant recordedAt,
        Instant publishedAt) {

    public boolean recorded() {
        return recordedAt != null;
    }

    public boolean published() {
        return publishedAt != null;
    }

    /** The URL writes the file's own key: nothing to copy, and the staging object is the file. */
    public boolean inPlace() {
        return stagingKey.equals(objectKey);
    }
}
