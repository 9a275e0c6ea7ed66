package dev.projectdashboard.pushservice.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * One event to one webhook, from its first attempt to its end (docs/push-service.md, Delivery). {@code id} is the
 * {@code webhook-id} the endpoint sees on every attempt and re-push.
 *
 * @param attempts attempts made so far (source 003's {@code retry_count} of the next attempt)
 * @param lastStatus the HTTP status of the last attempt, {@code null} when none came back
 */
public record Delivery(
        UUID id,
        UUID webhookId,
        String eventId,
        String taskId,
        String eventType,
        DeliveryStatus status,
        int attempts,
        Instant nextAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant createdAt,
        Instant updatedAt,
        Instant deliveredAt,
        Instant deadAt) {

    /** The {@code webhook-id} header: Standard Webhooks' {@code msg_} form of the id. */
    public String messageId() {
        return "msg_" + id.toString().replace("-", "");
    }
}
