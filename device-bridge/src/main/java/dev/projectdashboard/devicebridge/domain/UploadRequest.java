package dev.projectdashboard.devicebridge.domain;

import tools.jackson.databind.JsonNode;

/**
 * A well-formed upload request (source 001's {@code devices/{id}/upload/request}, fields as written there), plus the
 * options the bridge reads from it.
 *
 * @param deviceId the device id of the topic, which the body's {@code device_id} equals
 * @param fileName the cloud path the firmware chose ({@code {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{name}}) or a bare
 *     file name
 * @param timestamp the device's clock, seconds; informational
 * @param contentType {@code metadata.content_type}, or {@code null}
 * @param multipart {@code metadata.multipart}: the device asks for a multipart upload with a URL per part
 * @param contentMd5 {@code content_md5} or {@code metadata.md5}: signed into a single-PUT URL and checked after the
 *     upload; {@code null} when absent
 */
public record UploadRequest(
        String requestId,
        String deviceId,
        String fileName,
        long fileSize,
        Priority priority,
        Long timestamp,
        JsonNode metadata,
        String contentType,
        boolean multipart,
        String contentMd5) {}
