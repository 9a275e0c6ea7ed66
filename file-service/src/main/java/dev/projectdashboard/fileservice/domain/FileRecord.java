package dev.projectdashboard.fileservice.domain;

import java.time.Instant;

/** One live metadata row of {@code files.file_object}. */
public record FileRecord(
        String objectKey,
        FileKind kind,
        String folder,
        String taskId,
        String fileName,
        String contentType,
        long sizeBytes,
        String etag,
        String checksumSha256,
        String uploadedBy,
        Instant createdAt) {}
