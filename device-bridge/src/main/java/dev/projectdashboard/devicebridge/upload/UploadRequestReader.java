package dev.projectdashboard.devicebridge.upload;

import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.UploadRefused;
import dev.projectdashboard.devicebridge.domain.UploadRequest;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads source 001's upload request from an MQTT payload: JSON, required fields present and of their type,
 * {@code device_id} the topic's. Everything else (registry, limits, file name) is checked later, with I/O.
 */
@Component
public class UploadRequestReader {

    /** The largest request a device sends is a few hundred bytes; anything far larger is not one. */
    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    private static final int MAX_REQUEST_ID_LENGTH = 128;

    /** What was read: a request, or the refusal to answer with the {@code request_id} when one could be read. */
    public record Read(String requestId, UploadRequest request, UploadRefused refusal) {

        static Read refused(String requestId, ErrorCode code, String message) {
            return new Read(requestId, null, new UploadRefused(code, message));
        }

        /** The request's priority, or {@link Priority#URGENT} for a refusal (answered at once, no I/O). */
        public Priority priority() {
            return request == null ? Priority.URGENT : request.priority();
        }
    }

    private final JsonMapper json;

    UploadRequestReader(JsonMapper json) {
        this.json = json;
    }

    public Read read(String topicDeviceId, byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return Read.refused(null, ErrorCode.INVALID_REQUEST, "Request larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        JsonNode body;
        try {
            body = json.readTree(payload);
        } catch (JacksonException notJson) {
            return Read.refused(null, ErrorCode.INVALID_REQUEST, "Request is not valid JSON");
        }
        if (body == null || !body.isObject()) {
            return Read.refused(null, ErrorCode.INVALID_REQUEST, "Request must be a JSON object");
        }
        JsonNode id = body.get("request_id");
        String requestId = id != null && id.isString() ? id.asString() : null;
        if (requestId == null || requestId.isEmpty()) {
            return Read.refused(null, ErrorCode.INVALID_REQUEST, "request_id must be a non-empty string");
        }
        if (requestId.length() > MAX_REQUEST_ID_LENGTH || hasControlCharacters(requestId)) {
            return Read.refused(
                    null,
                    ErrorCode.INVALID_REQUEST,
                    "request_id must be at most " + MAX_REQUEST_ID_LENGTH + " printable characters");
        }
        JsonNode deviceId = body.get("device_id");
        if (deviceId == null || !deviceId.isString()) {
            return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "device_id must be a string");
        }
        if (!deviceId.asString().equals(topicDeviceId)) {
            return Read.refused(requestId, ErrorCode.UNAUTHORIZED, "device_id does not match the topic");
        }
        JsonNode fileName = body.get("file_name");
        if (fileName == null || !fileName.isString() || fileName.asString().isEmpty()) {
            return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "file_name must be a non-empty string");
        }
        JsonNode fileSize = body.get("file_size");
        if (fileSize == null || !fileSize.isIntegralNumber() || !fileSize.canConvertToLong() || fileSize.asLong() < 0) {
            return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "file_size must be a non-negative integer");
        }
        JsonNode priority = body.get("priority");
        int priorityValue = Priority.NORMAL.value();
        if (priority != null && !priority.isNull()) {
            if (!priority.isIntegralNumber() || priority.asLong() < 0 || priority.asLong() > 3) {
                return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "priority must be an integer from 0 to 3");
            }
            priorityValue = priority.asInt();
        }
        JsonNode timestamp = body.get("timestamp");
        if (timestamp != null && !timestamp.isNull() && !timestamp.isNumber()) {
            return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "timestamp must be a number");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "metadata must be an object");
        }
        boolean hasMetadata = metadata != null && metadata.isObject();
        String contentType = null;
        boolean multipart = false;
        String md5 = text(body.get("content_md5"));
        if (hasMetadata) {
            JsonNode type = metadata.get("content_type");
            if (type != null && !type.isNull()) {
                if (!type.isString() || type.asString().isBlank()) {
                    return Read.refused(
                            requestId, ErrorCode.INVALID_REQUEST, "metadata.content_type must be a non-empty string");
                }
                contentType = type.asString();
            }
            JsonNode wantsParts = metadata.get("multipart");
            if (wantsParts != null && !wantsParts.isNull()) {
                if (!wantsParts.isBoolean()) {
                    return Read.refused(requestId, ErrorCode.INVALID_REQUEST, "metadata.multipart must be a boolean");
                }
                multipart = wantsParts.asBoolean();
            }
            if (md5 == null) {
                md5 = text(metadata.get("md5"));
            }
        }
        return new Read(
                requestId,
                new UploadRequest(
                        requestId,
                        topicDeviceId,
                        fileName.asString(),
                        fileSize.asLong(),
                        Priority.of(priorityValue),
                        timestamp == null || timestamp.isNull() ? null : timestamp.asLong(),
                        hasMetadata ? metadata : null,
                        contentType,
                        multipart,
                        md5),
                null);
    }

    private static String text(JsonNode node) {
        return node != null && node.isString() && !node.asString().isBlank() ? node.asString() : null;
    }

    private static boolean hasControlCharacters(String text) {
        return text.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    }
}
