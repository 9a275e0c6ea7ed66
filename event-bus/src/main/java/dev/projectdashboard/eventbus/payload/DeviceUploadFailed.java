package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code device.upload_failed}: source 001's {@code upload_failed} status, with the device id of its topic and, added by
 * the bridge, the request and cloud path of the upload it belongs to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceUploadFailed(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("filename") String filename,
        @JsonProperty("error_code") String errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("retry_count") Integer retryCount,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("cloud_file_path") String cloudFilePath) {}
