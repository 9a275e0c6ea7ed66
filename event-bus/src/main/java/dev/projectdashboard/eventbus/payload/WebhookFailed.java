package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code webhook.failed}: the push log fields of source 003 for a failed attempt ({@code http_status} absent on a network error). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookFailed(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("http_status") Integer httpStatus,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("duration_ms") Long durationMs,
        @JsonProperty("retry_count") Integer retryCount) {}
