package dev.projectdashboard.fileservice.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

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

    /** The URL can no longer be used: a PUT through it now fails at the store. */
    public boolean expiredAt(Instant now) {
        return now.isAfter(expiresAt);
    }

    /**
     * No object arrived and the URL expired more than {@code grace} ago: a PUT that started in time has had time to
     * finish, so the URL is forgotten.
     */
    public boolean forgottenAt(Instant now, Duration grace) {
        return now.isAfter(cleanupAt(grace));
    }

    /** When the row of a recorded URL is looked at for the last time: {@code grace} after the URL expired. */
    public Instant cleanupAt(Duration grace) {
        return expiresAt.plus(grace);
    }

    /** What looking at a pending upload came to. */
    public enum Outcome {
        /** The object was there: it is the file now (its event published, or left to the sweep). */
        RECORDED,
        /** Someone else (another request or replica) recorded it first, or is doing so. */
        ALREADY_RECORDED,
        /** The sweep published the event of a file recorded earlier. */
        PUBLISHED,
        /** No object yet, and the URL may still be used. */
        WAITING,
        /** No object, and the URL expired more than the grace period ago: forgotten. */
        EXPIRED,
        /** The object is larger than the limit: deleted, forgotten. */
        OVERSIZED,
        /** The file's key was recorded first by other means (another URL, a streamed upload): object deleted. */
        SUPERSEDED,
        /** The task belongs to someone else by now: the URL's object is deleted, nothing recorded. */
        REVOKED,
        /** After the URL expired: what a reuse of it PUT after the recording was deleted, the row forgotten. */
        CLEANED;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** What made a pending upload be looked at, as a metric tag. */
    public enum Trigger {
        READ,
        CONFIRM,
        SWEEP;

        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
