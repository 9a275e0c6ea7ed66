package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code device.upload_progress}: source 001's {@code upload_progress} status, with the device id of its topic and, added by
 * the bridge, the request and cloud path of the upload it belongs to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceUploadProgress(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("progress_percentage") Double progressPercentage,
        @JsonProperty("bytes_uploaded") Long bytesUploaded,
        @JsonProperty("total_bytes") Long totalBytes,
        @JsonProperty("upload_speed_kbps") Integer uploadSpeedKbps,
        @JsonProperty("estimated_time_remaining_sec") Integer estimatedTimeRemainingSec,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("cloud_file_path") String cloudFilePath) {}
