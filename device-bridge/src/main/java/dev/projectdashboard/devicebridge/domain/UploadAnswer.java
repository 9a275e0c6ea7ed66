package dev.projectdashboard.devicebridge.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * The body published on {@code devices/{id}/upload/response}: every field of source 001's answer, or
 * {@code success:false} with {@code error_code} and {@code error_message}; the multipart fields only for a multipart
 * upload (docs/device-bridge.md).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadAnswer(
        @JsonProperty("success") boolean success,
        @JsonProperty("request_id") String requestId,
        @JsonProperty("upload_url") String uploadUrl,
        @JsonProperty("method") String method,
        @JsonProperty("content_type") String contentType,
        @JsonProperty("cloud_file_path") String cloudFilePath,
        @JsonProperty("expires_at") Long expiresAt,
        @JsonProperty("extra_headers") Map<String, String> extraHeaders,
        @JsonProperty("multipart") Boolean multipart,
        @JsonProperty("upload_id") String uploadId,
        @JsonProperty("part_size") Long partSize,
        @JsonProperty("part_count") Integer partCount,
        @JsonProperty("parts") List<Part> parts,
        @JsonProperty("error_code") ErrorCode errorCode,
        @JsonProperty("error_message") String errorMessage) {

    /** One presigned part of a multipart upload. */
    public record Part(
            @JsonProperty("part_number") int partNumber,
            @JsonProperty("upload_url") String uploadUrl,
            @JsonProperty("method") String method,
            @JsonProperty("headers") Map<String, String> headers) {}

    public static UploadAnswer refused(String requestId, ErrorCode code, String message) {
        return new UploadAnswer(
                false, requestId, null, null, null, null, null, null, null, null, null, null, null, code, message);
    }
}
