package dev.projectdashboard.bench.devicebridge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * Source 001's MQTT messages as its firmware writes them: the upload request and the {@code upload_started} /
 * {@code upload_completed} status reports, with the document's fields in its order and its example values where a
 * camera would not send something else.
 */
public final class SourceMessages {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** The recording size of source 001's example (15 MiB). */
    public static final long EXAMPLE_FILE_SIZE = 15_728_640L;

    private static final String LOCAL_FILE = "/sdcard/recordings/motion_20250711_143022.ts";
    private static final String LOCAL_NAME = "motion_20250711_143022.ts";

    private SourceMessages() {}

    public static String requestTopic(String deviceId) {
        return "devices/" + deviceId + "/upload/request";
    }

    public static String responseTopic(String deviceId) {
        return "devices/" + deviceId + "/upload/response";
    }

    public static String statusTopic(String deviceId) {
        return "devices/" + deviceId + "/status/upload";
    }

    /**
     * The full cloud path a camera names its recording by, {@code {id}/2025/07/11/{HHmmss}_motion_video.ts}, the
     * time being {@code secondOfDay} (modulo a day): one distinct path per second of recording.
     */
    public static String cloudPath(String deviceId, long secondOfDay) {
        long second = Math.floorMod(secondOfDay, 86_400L);
        return String.format(
                Locale.ROOT,
                "%s/2025/07/11/%02d%02d%02d_motion_video.ts",
                deviceId,
                second / 3600,
                second / 60 % 60,
                second % 60);
    }

    /** The upload request of source 001 ({@code devices/{id}/upload/request}), priority HIGH as in its example. */
    public static byte[] request(String requestId, String deviceId, String fileName, long fileSize, long timestamp) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("content_type", "video/mp2t");
        metadata.put("format", "H264/MPEG-TS");
        metadata.put("trigger", "motion_detection");
        metadata.put("duration", 120);
        metadata.put("resolution", "1080p");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("request_id", requestId);
        body.put("file_name", fileName);
        body.put("file_size", fileSize);
        body.put("priority", 2);
        body.put("timestamp", timestamp);
        body.put("device_id", deviceId);
        body.put("metadata", metadata);
        return JSON.writeValueAsBytes(body);
    }

    /** {@code upload_started} on {@code devices/{id}/status/upload}, naming the cloud path the answer gave. */
    public static byte[] uploadStarted(String cloudPath, long fileSize, long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "upload_started");
        body.put("file_path", LOCAL_FILE);
        body.put("filename", LOCAL_NAME);
        body.put("cloud_path", cloudPath);
        body.put("file_size", fileSize);
        body.put("priority", 2);
        body.put("timestamp", timestamp);
        return JSON.writeValueAsBytes(body);
    }

    /** {@code upload_completed} on {@code devices/{id}/status/upload}. */
    public static byte[] uploadCompleted(String cloudUrl, long durationSeconds, long timestamp) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", "upload_completed");
        body.put("file_path", LOCAL_FILE);
        body.put("filename", LOCAL_NAME);
        body.put("cloud_url", cloudUrl);
        body.put("upload_duration_sec", durationSeconds);
        body.put("average_speed_kbps", 491);
        body.put("timestamp", timestamp);
        return JSON.writeValueAsBytes(body);
    }
}
