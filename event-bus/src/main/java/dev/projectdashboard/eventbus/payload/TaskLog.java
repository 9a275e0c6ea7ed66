package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code task.log}: source 000's {@code task:log} fields plus the owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskLog(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("level") String level,
        @JsonProperty("message") String message) {}
