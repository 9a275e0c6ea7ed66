package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code task.failed}: source 000's {@code task:failed} fields plus the owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskFailed(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("error_details") String errorDetails) {}
