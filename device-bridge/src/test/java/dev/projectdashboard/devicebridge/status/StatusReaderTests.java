package dev.projectdashboard.devicebridge.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.devicebridge.domain.StatusReport;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Reading source 001's four status messages, exactly as the source writes them, and what is refused. */
class StatusReaderTests {

    private final StatusReader reader = new StatusReader(JsonMapper.builder().build());

    @Test
    void readsSource001sUploadStarted() {
        StatusReport report = report(
                """
                {
                  "event": "upload_started",
                  "file_path": "/sdcard/recordings/motion_20250711_143022.ts",
                  "filename": "motion_20250711_143022.ts",
                  "cloud_path": "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                  "file_size": 15728640,
                  "priority": 2,
                  "timestamp": 1691234567
                }
                """);

        assertThat(report.kind()).isEqualTo(StatusReport.Kind.UPLOAD_STARTED);
        assertThat(report.filePath()).isEqualTo("/sdcard/recordings/motion_20250711_143022.ts");
        assertThat(report.filename()).isEqualTo("motion_20250711_143022.ts");
        assertThat(report.cloudPath()).isEqualTo("ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts");
        assertThat(report.fileSize()).isEqualTo(15728640L);
        assertThat(report.priority()).isEqualTo(2);
        assertThat(report.timestamp()).isEqualTo(1691234567L);
    }

    @Test
    void readsSource001sUploadProgress() {
        StatusReport report = report(
                """
                {
                  "event": "upload_progress",
                  "file_path": "/sdcard/recordings/motion_20250711_143022.ts",
                  "progress_percentage": 45.2,
                  "bytes_uploaded": 7108608,
                  "total_bytes": 15728640,
                  "upload_speed_kbps": 512,
                  "estimated_time_remaining_sec": 18,
                  "timestamp": 1691234580
                }
                """);

        assertThat(report.kind()).isEqualTo(StatusReport.Kind.UPLOAD_PROGRESS);
        assertThat(report.filePath()).isEqualTo("/sdcard/recordings/motion_20250711_143022.ts");
        assertThat(report.progressPercentage()).isEqualTo(45.2);
        assertThat(report.bytesUploaded()).isEqualTo(7108608L);
        assertThat(report.totalBytes()).isEqualTo(15728640L);
        assertThat(report.uploadSpeedKbps()).isEqualTo(512);
        assertThat(report.estimatedTimeRemainingSec()).isEqualTo(18);
        assertThat(report.timestamp()).isEqualTo(1691234580L);
        assertThat(report.cloudPath()).isNull();
    }

    @Test
    void readsSource001sUploadCompleted() {
        StatusReport report = report(
                """
                {
                  "event": "upload_completed",
                  "file_path": "/sdcard/recordings/motion_20250711_143022.ts",
                  "filename": "motion_20250711_143022.ts",
                  "cloud_url": "https://your-bucket.oss-cn-hangzhou.aliyuncs.com/ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                  "upload_duration_sec": 32,
                  "average_speed_kbps": 491,
                  "timestamp": 1691234599
                }
                """);

        assertThat(report.kind()).isEqualTo(StatusReport.Kind.UPLOAD_COMPLETED);
        assertThat(report.filePath()).isEqualTo("/sdcard/recordings/motion_20250711_143022.ts");
        assertThat(report.filename()).isEqualTo("motion_20250711_143022.ts");
        assertThat(report.cloudUrl())
                .isEqualTo(
                        "https://your-bucket.oss-cn-hangzhou.aliyuncs.com/ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts");
        assertThat(report.uploadDurationSec()).isEqualTo(32);
        assertThat(report.averageSpeedKbps()).isEqualTo(491);
        assertThat(report.timestamp()).isEqualTo(1691234599L);
        assertThat(report.md5()).isNull();
    }

    @Test
    void readsSource001sUploadFailed() {
        StatusReport report = report(
                """
                {
                  "event": "upload_failed",
                  "file_path": "/sdcard/recordings/motion_20250711_143022.ts",
                  "filename": "motion_20250711_143022.ts",
                  "error_code": "TIMEOUT",
                  "error_message": "Upload timeout after 300 seconds",
                  "retry_count": 2,
                  "timestamp": 1691234899
                }
                """);

        assertThat(report.kind()).isEqualTo(StatusReport.Kind.UPLOAD_FAILED);
        assertThat(report.filePath()).isEqualTo("/sdcard/recordings/motion_20250711_143022.ts");
        assertThat(report.filename()).isEqualTo("motion_20250711_143022.ts");
        assertThat(report.errorCode()).isEqualTo("TIMEOUT");
        assertThat(report.errorMessage()).isEqualTo("Upload timeout after 300 seconds");
        assertThat(report.retryCount()).isEqualTo(2);
        assertThat(report.timestamp()).isEqualTo(1691234899L);
    }

    @Test
    void readsTheOptionalMd5OfACompletedUpload() {
        assertThat(report("{\"event\":\"upload_completed\",\"file_path\":\"/a.ts\",\"md5\":\"abc\"}")
                        .md5())
                .isEqualTo("abc");
    }

    @Test
    void readsAReportNamingOnlyItsCloudPath() {
        assertThat(report("{\"event\":\"upload_progress\",\"cloud_path\":\"CAM/2025/07/11/143022_a.ts\"}")
                        .cloudPath())
                .isEqualTo("CAM/2025/07/11/143022_a.ts");
    }

    @Test
    void refusesAPayloadThatIsNotAJsonObject() {
        assertThat(refusal("not json")).isEqualTo("not_json");
        assertThat(refusal("{\"event\":")).isEqualTo("not_json");
        assertThat(refusal("[]")).isEqualTo("not_an_object");
        assertThat(refusal("\"upload_started\"")).isEqualTo("not_an_object");
    }

    @Test
    void refusesAPayloadAboveTheLimit() {
        assertThat(refusal("{\"event\":\"upload_progress\",\"file_path\":\"/a.ts\",\"x\":\""
                        + "x".repeat(StatusReader.MAX_PAYLOAD_BYTES) + "\"}"))
                .isEqualTo("too_large");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"file_path\":\"/a.ts\"}",
                "{\"event\":\"upload_paused\",\"file_path\":\"/a.ts\"}",
                "{\"event\":\"UPLOAD_STARTED\",\"file_path\":\"/a.ts\"}",
                "{\"event\":null,\"file_path\":\"/a.ts\"}"
            })
    void refusesAnUnknownEvent(String payload) {
        assertThat(refusal(payload)).isEqualTo("unknown_event");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"event\":1,\"file_path\":\"/a.ts\"}",
                "{\"event\":\"upload_progress\",\"file_path\":7}",
                "{\"event\":\"upload_progress\",\"file_path\":\"/a.ts\",\"progress_percentage\":\"45.2\"}",
                "{\"event\":\"upload_progress\",\"file_path\":\"/a.ts\",\"bytes_uploaded\":\"7108608\"}",
                "{\"event\":\"upload_progress\",\"file_path\":\"/a.ts\",\"upload_speed_kbps\":true}",
                "{\"event\":\"upload_started\",\"file_path\":\"/a.ts\",\"cloud_path\":[]}",
                "{\"event\":\"upload_started\",\"file_path\":\"/a.ts\",\"priority\":\"2\"}",
                "{\"event\":\"upload_failed\",\"file_path\":\"/a.ts\",\"error_code\":42}",
                "{\"event\":\"upload_failed\",\"file_path\":\"/a.ts\",\"retry_count\":{}}",
                "{\"event\":\"upload_completed\",\"file_path\":\"/a.ts\",\"timestamp\":\"1691234599\"}"
            })
    void refusesAFieldOfTheWrongType(String payload) {
        assertThat(refusal(payload)).isEqualTo("wrong_type");
    }

    @Test
    void refusesAReportWithoutFilePathAndCloudPath() {
        assertThat(refusal("{\"event\":\"upload_progress\",\"progress_percentage\":45.2}"))
                .isEqualTo("no_file_path");
        assertThat(refusal("{\"event\":\"upload_completed\",\"file_path\":null,\"cloud_path\":null}"))
                .isEqualTo("no_file_path");
    }

    private StatusReport report(String payload) {
        StatusReader.Read read = reader.read(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(read.refusal()).isNull();
        return read.report();
    }

    private String refusal(String payload) {
        StatusReader.Read read = reader.read(payload.getBytes(StandardCharsets.UTF_8));
        assertThat(read.report()).isNull();
        return read.refusal();
    }
}
