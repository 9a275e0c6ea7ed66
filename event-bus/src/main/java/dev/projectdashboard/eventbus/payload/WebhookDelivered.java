package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code webhook.delivered}: the push log fields of source 003 for a successful push. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookDelivered(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("http_status") Integer httpStatus,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("retry_count") Integer retryCount) {}
