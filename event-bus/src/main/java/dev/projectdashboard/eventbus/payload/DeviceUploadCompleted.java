package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code device.upload_completed}: source 001's {@code upload_completed} status, with the device id of its topic and, added by
 * the bridge, the request and cloud path of the upload it belongs to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceUploadCompleted(
        @JsonProperty("device_id") String deviceId,
        @JsonProperty("file_path") String filePath,
        @JsonProperty("filename") String filename,
        @JsonProperty("cloud_url") String cloudUrl,
        @JsonProperty("upload_duration_sec") Integer uploadDurationSec,
        @JsonProperty("average_speed_kbps") Integer averageSpeedKbps,
        @JsonProperty("timestamp") Long timestamp,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("cloud_file_path") String cloudFilePath) {}
