package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;

/** {@code file.uploaded}: source 000's upload result fields, with the task and the uploading user. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FileUploaded(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("filename") String filename,
        @JsonProperty("object_key") String objectKey,
        @JsonProperty("url") String url,
        @JsonProperty("size") Long size,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("uploaded_at") Instant uploadedAt) {}
