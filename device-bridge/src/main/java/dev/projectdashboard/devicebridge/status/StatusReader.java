package dev.projectdashboard.devicebridge.status;

import dev.projectdashboard.devicebridge.domain.StatusReport;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads source 001's status messages; a message that is not one is refused with the reason. */
@Component
public class StatusReader {

    static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /** A report, or why there is none. */
    public record Read(StatusReport report, String refusal) {

        static Read refused(String reason) {
            return new Read(null, reason);
        }
    }

    private final JsonMapper json;

    StatusReader(JsonMapper json) {
        this.json = json;
    }

    public Read read(byte[] payload) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return Read.refused("too_large");
        }
        JsonNode body;
        try {
            body = json.readTree(payload);
        } catch (JacksonException notJson) {
            return Read.refused("not_json");
        }
        if (body == null || !body.isObject()) {
            return Read.refused("not_an_object");
        }
        try {
            // inside the try: an event that is not text (e.g. a number) is a wrong type, not an exception
            StatusReport.Kind kind = StatusReport.Kind.of(text(body, "event"));
            if (kind == null) {
                return Read.refused("unknown_event");
            }
            StatusReport report = new StatusReport(
                    kind,
                    text(body, "file_path"),
                    text(body, "filename"),
                    text(body, "cloud_path"),
                    whole(body, "file_size"),
                    integer(body, "priority"),
                    number(body, "progress_percentage"),
                    whole(body, "bytes_uploaded"),
                    whole(body, "total_bytes"),
                    integer(body, "upload_speed_kbps"),
                    integer(body, "estimated_time_remaining_sec"),
                    text(body, "cloud_url"),
                    integer(body, "upload_duration_sec"),
                    integer(body, "average_speed_kbps"),
                    text(body, "error_code"),
                    text(body, "error_message"),
                    integer(body, "retry_count"),
                    text(body, "md5"),
                    whole(body, "timestamp"));
            return report.filePath() == null && report.cloudPath() == null
                    ? Read.refused("no_file_path")
                    : new Read(report, null);
        } catch (WrongType wrong) {
            return Read.refused("wrong_type");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString()) {
            throw new WrongType();
        }
        return node.asString();
    }

    private static Long whole(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new WrongType();
        }
        return node.asLong();
    }

    private static Integer integer(JsonNode body, String field) {
        Long value = whole(body, field);
        return value == null ? null : (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
    }

    private static Double number(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isNumber()) {
            throw new WrongType();
        }
        return node.asDouble();
    }

    private static final class WrongType extends RuntimeException {
        WrongType() {
            super(null, null, false, false);
        }
    }
}
