package dev.projectdashboard.pushservice.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One attempt, as source 003's {@code save_push_log} records it: what was sent (secret headers redacted), what came
 * back (truncated), how long it took, which retry it was, and the error.
 *
 * @param httpStatus {@code null} when no answer came (timeout, connection refused, refused address)
 * @param retryCount 0 for the first attempt
 */
public record PushLog(
        Long id,
        UUID deliveryId,
        UUID webhookId,
        String taskId,
        String eventId,
        boolean success,
        Integer httpStatus,
        Map<String, String> requestHeaders,
        String requestBody,
        Map<String, String> responseHeaders,
        String responseBody,
        long durationMs,
        int retryCount,
        String errorMessage,
        Instant createdAt) {}
