package dev.projectdashboard.devicebridge.upload;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.UploadRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Reading source 001's upload request: every field, and each refusal with its code and the request_id kept. */
class UploadRequestReaderTests {

    private static final String CAM = "ESP32P4_CAM_001";

    /** Source 001's request, exactly as written there. */
    private static final String SOURCE_001_REQUEST =
            """
            {
              "request_id": "upload_1a2b3c4d",
              "file_name": "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
              "file_size": 15728640,
              "priority": 2,
              "timestamp": 1691234567,
              "device_id": "ESP32P4_CAM_001",
              "metadata": {
                "content_type": "video/mp2t",
                "format": "H264/MPEG-TS",
                "trigger": "motion_detection",
                "duration": 120,
                "resolution": "1080p"
              }
            }
            """;

    private final UploadRequestReader reader =
            new UploadRequestReader(JsonMapper.builder().build());

    @Test
    void readsSource001sRequestWithEveryField() {
        UploadRequestReader.Read read = read(SOURCE_001_REQUEST);

        assertThat(read.refusal()).isNull();
        assertThat(read.requestId()).isEqualTo("upload_1a2b3c4d");
        assertThat(read.priority()).isEqualTo(Priority.HIGH);
        UploadRequest request = read.request();
        assertThat(request.requestId()).isEqualTo("upload_1a2b3c4d");
        assertThat(request.deviceId()).isEqualTo(CAM);
        assertThat(request.fileName()).isEqualTo("ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts");
        assertThat(request.fileSize()).isEqualTo(15728640L);
        assertThat(request.priority()).isEqualTo(Priority.HIGH);
        assertThat(request.timestamp()).isEqualTo(1691234567L);
        assertThat(request.contentType()).isEqualTo("video/mp2t");
        assertThat(request.multipart()).isFalse();
        assertThat(request.contentMd5()).isNull();
        assertThat(request.metadata().get("format").asString()).isEqualTo("H264/MPEG-TS");
        assertThat(request.metadata().get("trigger").asString()).isEqualTo("motion_detection");
        assertThat(request.metadata().get("duration").asInt()).isEqualTo(120);
        assertThat(request.metadata().get("resolution").asString()).isEqualTo("1080p");
    }

    @Test
    void readsAMinimalRequestWithItsDefaults() {
        UploadRequest request =
                read("{\"request_id\":\"r1\",\"device_id\":\"ESP32P4_CAM_001\",\"file_name\":\"a.ts\",\"file_size\":0}")
                        .request();

        assertThat(request.priority()).isEqualTo(Priority.NORMAL);
        assertThat(request.timestamp()).isNull();
        assertThat(request.metadata()).isNull();
        assertThat(request.contentType()).isNull();
        assertThat(request.multipart()).isFalse();
        assertThat(request.contentMd5()).isNull();
    }

    @Test
    void readsNullOptionalFieldsAsAbsent() {
        UploadRequest request = read(body("\"priority\":null,\"timestamp\":null,\"metadata\":null"))
                .request();

        assertThat(request.priority()).isEqualTo(Priority.NORMAL);
        assertThat(request.timestamp()).isNull();
        assertThat(request.metadata()).isNull();
    }

    @Test
    void readsEveryPriorityOfSource001() {
        assertThat(read(body("\"priority\":0")).request().priority()).isEqualTo(Priority.LOW);
        assertThat(read(body("\"priority\":1")).request().priority()).isEqualTo(Priority.NORMAL);
        assertThat(read(body("\"priority\":2")).request().priority()).isEqualTo(Priority.HIGH);
        assertThat(read(body("\"priority\":3")).request().priority()).isEqualTo(Priority.URGENT);
    }

    @Test
    void readsAMultipartWishAndAnMd5FromEitherPlace() {
        assertThat(read(body("\"metadata\":{\"multipart\":true}")).request().multipart())
                .isTrue();
        assertThat(read(body("\"content_md5\":\"1B2M2Y8AsgTpgAmY7PhCfg==\""))
                        .request()
                        .contentMd5())
                .isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
        assertThat(read(body("\"metadata\":{\"md5\":\"d41d8cd98f00b204e9800998ecf8427e\"}"))
                        .request()
                        .contentMd5())
                .isEqualTo("d41d8cd98f00b204e9800998ecf8427e");
        // the top-level field wins over metadata's
        assertThat(read(body("\"content_md5\":\"top\",\"metadata\":{\"md5\":\"inner\"}"))
                        .request()
                        .contentMd5())
                .isEqualTo("top");
        // a blank or non-text md5 is no md5 (it is optional), and a blank top-level one falls back to metadata's
        assertThat(read(body("\"content_md5\":\" \"")).request().contentMd5()).isNull();
        assertThat(read(body("\"content_md5\":5")).request().contentMd5()).isNull();
        assertThat(read(body("\"content_md5\":\"\",\"metadata\":{\"md5\":\"inner\"}"))
                        .request()
                        .contentMd5())
                .isEqualTo("inner");
    }

    @Test
    void refusesAPayloadThatIsNotJsonWithoutRequestId() {
        expectRefused(read("not json"), null, ErrorCode.INVALID_REQUEST, "not valid JSON");
        expectRefused(read("{\"request_id\":\"r1\","), null, ErrorCode.INVALID_REQUEST, "not valid JSON");
        expectRefused(read(""), null, ErrorCode.INVALID_REQUEST, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "[{\"request_id\":\"r1\"}]", "\"r1\"", "42", "null", "true"})
    void refusesJsonThatIsNotAnObject(String payload) {
        expectRefused(read(payload), null, ErrorCode.INVALID_REQUEST, "JSON object");
    }

    @Test
    void refusesAPayloadAboveTheLimitUnread() {
        String padding = "x".repeat(UploadRequestReader.MAX_PAYLOAD_BYTES);
        expectRefused(read(body("\"padding\":\"" + padding + "\"")), null, ErrorCode.INVALID_REQUEST, "larger");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "\"request_id\":\"\",",
                "\"request_id\":null,",
                "\"request_id\":7,",
                "\"request_id\":{\"id\":\"r1\"},",
                "\"request_id\":\"a\\nb\","
            })
    void refusesAMissingEmptyOrUnreadableRequestIdWithoutOne(String requestId) {
        String payload = "{" + requestId + "\"device_id\":\"ESP32P4_CAM_001\",\"file_name\":\"a.ts\",\"file_size\":1}";
        expectRefused(read(payload), null, ErrorCode.INVALID_REQUEST, "request_id");
    }

    @Test
    void refusesARequestIdLongerThan128CharactersWithoutIt() {
        assertThat(read(withRequestId("r".repeat(128))).refusal()).isNull();
        expectRefused(read(withRequestId("r".repeat(129))), null, ErrorCode.INVALID_REQUEST, "request_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"device_id\":null,", "\"device_id\":7,", "\"device_id\":[\"ESP32P4_CAM_001\"],"})
    void refusesAMissingOrNonTextDeviceIdKeepingTheRequestId(String deviceId) {
        String payload = "{\"request_id\":\"r1\"," + deviceId + "\"file_name\":\"a.ts\",\"file_size\":1}";
        expectRefused(read(payload), "r1", ErrorCode.INVALID_REQUEST, "device_id");
    }

    @Test
    void refusesAnotherDevicesIdAsUnauthorized() {
        String payload =
                "{\"request_id\":\"r1\",\"device_id\":\"ESP32P4_CAM_002\",\"file_name\":\"a.ts\",\"file_size\":1}";
        expectRefused(read(payload), "r1", ErrorCode.UNAUTHORIZED, "device_id");
        // case matters: a device id is a topic level
        String lower =
                "{\"request_id\":\"r1\",\"device_id\":\"esp32p4_cam_001\",\"file_name\":\"a.ts\",\"file_size\":1}";
        expectRefused(read(lower), "r1", ErrorCode.UNAUTHORIZED, "device_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"file_name\":null,", "\"file_name\":\"\",", "\"file_name\":7,", "\"file_name\":[],"})
    void refusesAMissingEmptyOrNonTextFileName(String fileName) {
        String payload = "{\"request_id\":\"r1\",\"device_id\":\"ESP32P4_CAM_001\"," + fileName + "\"file_size\":1}";
        expectRefused(read(payload), "r1", ErrorCode.INVALID_REQUEST, "file_name");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "\"file_size\":null,",
                "\"file_size\":-1,",
                "\"file_size\":\"15728640\",",
                "\"file_size\":1.5,",
                "\"file_size\":1e3,",
                "\"file_size\":99999999999999999999,",
                "\"file_size\":true,"
            })
    void refusesAMissingNegativeTextualOrFractionalFileSize(String fileSize) {
        String payload =
                "{\"request_id\":\"r1\",\"device_id\":\"ESP32P4_CAM_001\"," + fileSize + "\"file_name\":\"a.ts\"}";
        expectRefused(read(payload), "r1", ErrorCode.INVALID_REQUEST, "file_size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "4", "1000", "2.0", "2.5", "\"2\"", "true", "[]"})
    void refusesAPriorityOutsideZeroToThreeOrNotAnInteger(String priority) {
        expectRefused(read(body("\"priority\":" + priority)), "r1", ErrorCode.INVALID_REQUEST, "priority");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"1691234567\"", "true", "{}", "[1691234567]"})
    void refusesATimestampThatIsNotANumber(String timestamp) {
        expectRefused(read(body("\"timestamp\":" + timestamp)), "r1", ErrorCode.INVALID_REQUEST, "timestamp");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"video/mp2t\"", "[]", "1", "true"})
    void refusesMetadataThatIsNotAnObject(String metadata) {
        expectRefused(read(body("\"metadata\":" + metadata)), "r1", ErrorCode.INVALID_REQUEST, "metadata");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "\"\"", "\" \"", "[\"video/mp2t\"]", "true"})
    void refusesAContentTypeThatIsNotText(String contentType) {
        expectRefused(
                read(body("\"metadata\":{\"content_type\":" + contentType + "}")),
                "r1",
                ErrorCode.INVALID_REQUEST,
                "metadata.content_type");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"true\"", "1", "{}"})
    void refusesAMultipartWishThatIsNotABoolean(String multipart) {
        expectRefused(
                read(body("\"metadata\":{\"multipart\":" + multipart + "}")),
                "r1",
                ErrorCode.INVALID_REQUEST,
                "metadata.multipart");
    }

    @Test
    void answersARefusalAheadOfEveryRequest() {
        assertThat(read("not json").priority()).isEqualTo(Priority.URGENT);
    }

    /** A valid request for {@code CAM} with request_id {@code r1} and the given extra fields. */
    private static String body(String extraFields) {
        return "{\"request_id\":\"r1\",\"device_id\":\"ESP32P4_CAM_001\",\"file_name\":\"a.ts\",\"file_size\":1,"
                + extraFields + "}";
    }

    private static String withRequestId(String requestId) {
        return "{\"request_id\":\"" + requestId
                + "\",\"device_id\":\"ESP32P4_CAM_001\",\"file_name\":\"a.ts\",\"file_size\":1}";
    }

    private UploadRequestReader.Read read(String payload) {
        return reader.read(CAM, payload.getBytes(StandardCharsets.UTF_8));
    }

    private static void expectRefused(
            UploadRequestReader.Read read, String requestId, ErrorCode code, String messagePart) {
        assertThat(read.request()).isNull();
        assertThat(read.requestId()).isEqualTo(requestId);
        assertThat(read.refusal()).isNotNull();
        assertThat(read.refusal().code()).isEqualTo(code);
        if (messagePart != null) {
            assertThat(read.refusal().getMessage()).contains(messagePart);
        }
    }
}
