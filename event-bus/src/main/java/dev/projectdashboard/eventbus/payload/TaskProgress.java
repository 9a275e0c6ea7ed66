package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code task.progress}: source 000's {@code task:progress} fields plus the owner. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskProgress(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("progress") Integer progress,
        @JsonProperty("current_frame") Integer currentFrame,
        @JsonProperty("total_frames") Integer totalFrames,
        @JsonProperty("message") String message) {}
