package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code file.deleted}: the object key of source 000's delete call, who deleted it and when. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileDeleted(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("object_key") String objectKey,
        @JsonProperty("deleted_at") Instant deletedAt) {}
