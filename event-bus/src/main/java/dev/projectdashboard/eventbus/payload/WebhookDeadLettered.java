package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code webhook.dead_lettered}: source 003's {@code move_to_dlq} arguments. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookDeadLettered(
        @JsonProperty("task_id") String taskId,
        @JsonProperty("webhook_id") String webhookId,
        @JsonProperty("failure_reason") String failureReason,
        @JsonProperty("retry_count") Integer retryCount) {}
