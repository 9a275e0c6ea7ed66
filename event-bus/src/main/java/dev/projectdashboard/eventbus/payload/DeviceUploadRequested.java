package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import tools.jackson.databind.JsonNode;

/**
 * {@code device.upload_requested}: source 001's upload request ({@code devices/{id}/upload/request}) and, once the
 * bridge answered, the object key and expiry it handed out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceUploadRequested(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("file_name") String fileName,
        @JsonProperty("file_size") Long fileSize,
        @JsonProperty("priority") Integer priority,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("metadata") JsonNode metadata,
        @JsonProperty("cloud_file_path") String cloudFilePath,
        @JsonProperty("expires_at") Long expiresAt) {}
