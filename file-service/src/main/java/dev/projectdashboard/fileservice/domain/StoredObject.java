package dev.projectdashboard.fileservice.domain;

import java.time.Instant;
import java.util.Map;

/**
 * What the store reports of an object it holds.
 *
 * @param size its length in bytes
 * @param contentType the type it was stored with
 * @param etag the store's ETag, without quotes
 * @param lastModified when it was last written
 * @param metadata its user metadata ({@code task-id}, {@code uploaded-by} …)
 */
public record StoredObject(
        Long size, String contentType, String etag, Instant lastModified, Map<String, String> metadata) {}
