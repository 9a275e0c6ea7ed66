package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code device.upload_started}: source 001's {@code upload_started} status, with the device id of its topic. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceUploadStarted(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("filename") String filename,
        @JsonProperty("cloud_path") String cloudPath,
        @JsonProperty("file_size") Long fileSize,
        @JsonProperty("priority") Integer priority,
        @JsonProperty("timestamp") Long timestamp) {}
