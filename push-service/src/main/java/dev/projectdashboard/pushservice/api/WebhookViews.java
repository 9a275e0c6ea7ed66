package dev.projectdashboard.pushservice.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.projectdashboard.pushservice.delivery.Delivery;
import dev.projectdashboard.pushservice.delivery.PushLog;
import dev.projectdashboard.pushservice.webhook.AuthType;
import dev.projectdashboard.pushservice.webhook.Webhook;
import dev.projectdashboard.pushservice.webhook.WebhookChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Bodies of the webhook and push APIs (snake_case on the wire; docs/push-service.md). */
final class WebhookViews {

    private WebhookViews() {}

    /**
     * A registration or a change of one. {@code timeout} and {@code retry_delays} are seconds (source 003's
     * {@code PUSH_TIMEOUT} and {@code PUSH_RETRY_DELAYS}); {@code secret_key} is accepted for {@code secret}.
     */
    record WebhookRequest(
            String name,
            String url,
            List<String> eventTypes,
            String subjectPrefix,
            String bodyTemplate,
            String authType,
            Map<String, String> authConfig,
            @JsonAlias("secret_key") String secret,
            Integer timeout,
            List<Integer> retryDelays,
            Integer rateLimit,
            Boolean enabled) {

        WebhookChange change() {
            AuthType type;
            try {
                type = authType == null ? null : AuthType.of(authType);
            } catch (IllegalArgumentException unknown) {
                throw new dev.projectdashboard.pushservice.webhook.InvalidWebhook("auth_type", unknown.getMessage());
            }
            return new WebhookChange(
                    name,
                    url,
                    eventTypes,
                    subjectPrefix,
                    bodyTemplate,
                    type,
                    authConfig,
                    secret,
                    timeout == null ? null : Duration.ofSeconds(timeout),
                    retryDelays == null
                            ? null
                            : retryDelays.stream().map(Duration::ofSeconds).toList(),
                    rateLimit,
                    enabled);
        }
    }

    /** A registration as the API shows it: never its secrets or auth config values. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record WebhookView(
            UUID id,
            String name,
            String url,
            List<String> eventTypes,
            String subjectPrefix,
            String bodyTemplate,
            String authType,
            String authKeyName,
            long timeout,
            List<Long> retryDelays,
            Integer rateLimit,
            boolean enabled,
            String disabledReason,
            Instant previousSecretExpiresAt,
            String createdBy,
            Instant createdAt,
            Instant updatedAt,
            String secret) {

        static WebhookView of(Webhook webhook, String secretShownOnce, Instant now) {
            return new WebhookView(
                    webhook.id(),
                    webhook.name(),
                    webhook.url().toString(),
                    webhook.eventTypes(),
                    webhook.subjectPrefix(),
                    webhook.bodyTemplate(),
                    webhook.auth().type().value(),
                    webhook.auth() instanceof dev.projectdashboard.pushservice.webhook.WebhookAuth.ApiKey key
                            ? key.keyName()
                            : null,
                    webhook.timeout().toSeconds(),
                    webhook.retrySchedule() == null
                            ? null
                            : webhook.retrySchedule().delays().stream()
                                    .map(Duration::toSeconds)
                                    .toList(),
                    webhook.rateLimit(),
                    webhook.enabled(),
                    webhook.disabledReason(),
                    webhook.previousSecretExpiresAt() != null
                                    && webhook.previousSecretExpiresAt().isAfter(now)
                            ? webhook.previousSecretExpiresAt()
                            : null,
                    webhook.createdBy(),
                    webhook.createdAt(),
                    webhook.updatedAt(),
                    secretShownOnce);
        }
    }

    record WebhookPage(List<WebhookView> webhooks, long total, int limit, long offset) {}

    /** A new secret for rotation; absent: one is generated. */
    record RotateRequest(String secret) {}

    record PushLogPage(List<PushLog> logs, long total, int limit, long offset) {}

    /**
     * A delivery: one event to one webhook; {@code status} {@code PUSH_FAILED} in the dead-letter queue;
     * {@code message_id} is the {@code webhook-id} header the endpoint sees.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DeliveryView(
            UUID id,
            String messageId,
            UUID webhookId,
            String eventId,
            String taskId,
            String eventType,
            String status,
            int retryCount,
            Instant nextAttemptAt,
            Integer lastHttpStatus,
            String failureReason,
            Instant createdAt,
            Instant deliveredAt,
            Instant deadAt) {

        static DeliveryView of(Delivery delivery) {
            return new DeliveryView(
                    delivery.id(),
                    delivery.messageId(),
                    delivery.webhookId(),
                    delivery.eventId(),
                    delivery.taskId(),
                    delivery.eventType(),
                    delivery.status().name(),
                    Math.max(0, delivery.attempts() - 1),
                    delivery.status().name().equals("PENDING") ? delivery.nextAttemptAt() : null,
                    delivery.lastStatus(),
                    delivery.lastError(),
                    delivery.createdAt(),
                    delivery.deliveredAt(),
                    delivery.deadAt());
        }
    }

    record DeliveryPage(List<DeliveryView> deliveries, long total, int limit, long offset) {}

    /** Which dead-lettered deliveries to push again; absent fields do not filter. */
    record RepushRequest(UUID webhookId, String eventType, String taskId, Instant from, Instant to) {}

    /** Source 003's {@code retry_dlq_task} result, with how many deliveries went back to the queue. */
    record RepushResult(boolean success, String message, long repushed) {}
}
