package dev.projectdashboard.fileservice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.fileservice.device.DeviceUploadService;
import dev.projectdashboard.fileservice.device.DeviceUploads;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import dev.projectdashboard.starter.test.ProblemFields;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** The internal device-upload API's mapping alone: API key, JSON bodies and problem JSON, the service mocked. */
@WebFluxTest(DeviceUploadController.class)
@DevelopmentSecrets
class DeviceUploadControllerTests {

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private DeviceUploadService service;

    @Test
    void readsTheSnakeCaseBodyIntoTheRequest() {
        when(service.abort(any())).thenReturn(Mono.empty());

        client.post()
                .uri("/internal/v1/device-uploads/abort")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"object_key\":\"cam-1/2026/01/01/000000_a.mp4\",\"upload_id\":\"u1\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.aborted")
                .isEqualTo(true)
                .jsonPath("$.object_key")
                .isEqualTo("cam-1/2026/01/01/000000_a.mp4");

        verify(service).abort(new DeviceUploads.AbortRequest("cam-1/2026/01/01/000000_a.mp4", "u1"));
    }

    @Test
    void refusesACallerWithoutTheApiKey() {
        client.post()
                .uri("/internal/v1/device-uploads/abort")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"object_key\":\"k\",\"upload_id\":\"u1\"}")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(service);
    }

    @Test
    void refusesAFieldOfTheWrongTypeNamingIt() {
        client.post()
                .uri("/internal/v1/device-uploads")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"device_id\":\"cam-1\",\"file_name\":\"a.mp4\",\"file_size\":\"big\"}")
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("file_size");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAPartsQueryWithoutItsFileSize() {
        client.get()
                .uri("/internal/v1/device-uploads/parts?object_key=k&upload_id=u1")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo("file_size");
        verifyNoInteractions(service);
    }

    @Test
    void refusesEveryFieldOfAPresignBodyItsConstraintsRefuseByItsSnakeCaseName() {
        assertThat(problemFields(
                        "",
                        "{\"device_id\":\"cam 1\",\"file_name\":\"../a.mp4\",\"file_size\":-1,"
                                + "\"content_md5\":\"zz\",\"expire_time\":0}"))
                .containsExactlyInAnyOrder("device_id", "file_name", "file_size", "content_md5", "expire_time");
        verifyNoInteractions(service);
    }

    @Test
    void refusesCompleteVerifyAndAbortBodiesWithoutTheirKeysAndIds() {
        assertThat(problemFields("/complete", "{\"object_key\":\"cam-1/a.mp4\",\"upload_id\":\" \"}"))
                .containsExactlyInAnyOrder("device_id", "object_key", "upload_id", "file_size");
        assertThat(problemFields("/verify", "{\"device_id\":\"cam-1\",\"object_key\":\"../x\",\"file_size\":1}"))
                .containsExactly("object_key");
        assertThat(problemFields("/abort", "{\"object_key\":\"cam-1/2026/01/01/000000_a.mp4\"}"))
                .containsExactly("upload_id");
        verifyNoInteractions(service);
    }

    @Test
    void passesAFullPathFileNameAndAnObjectKeyOfTheDeviceOnAsTheyAre() {
        when(service.presign(any())).thenReturn(Mono.empty());
        String key = "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts";

        for (Map<String, Object> body : List.of(
                presign(key, null),
                presign("motion_video.ts", key),
                presign(key, key),
                Map.<String, Object>of(
                        "device_id", "ESP32P4_CAM_001", "file_name", "a.ts", "file_size", 1, "multipart", true))) {
            client.post()
                    .uri("/internal/v1/device-uploads")
                    .header("X-Api-Key", DevDefaults.API_KEY)
                    .bodyValue(body)
                    .exchange()
                    .expectStatus()
                    .isOk();
        }

        verify(service)
                .presign(new DeviceUploads.PresignRequest("ESP32P4_CAM_001", key, 1L, null, null, null, null, null));
        verify(service)
                .presign(new DeviceUploads.PresignRequest(
                        "ESP32P4_CAM_001", "motion_video.ts", 1L, null, null, null, key, null));
        verify(service)
                .presign(new DeviceUploads.PresignRequest("ESP32P4_CAM_001", "a.ts", 1L, null, null, null, null, true));
    }

    /** Paths that are no key of device {@code ESP32P4_CAM_001}, each for its own reason. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "OTHER_CAM/2025/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_0011/2025/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/motion_video.ts",
                "ESP32P4_CAM_001/2025/07/143022_motion_video.ts",
                "ESP32P4_CAM_001/videos/motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_",
                "ESP32P4_CAM_001/25/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/13/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/00/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/32/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/02/30/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/243022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/146022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143060_motion_video.ts",
                "ESP32P4_CAM_001/../2025/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_../motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_..",
                "ESP32P4_CAM_001//2025/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts/",
                "/ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion\\video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion\u0000video.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion\u007fvideo.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion\u200evideo.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_motion%2Fvideo.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_ motion_video.ts"
            })
    void refusesAPathThatIsNoKeyOfTheDeviceAsFileNameOrObjectKeyNamingThatField(String path) {
        assertThat(problemFields(presign(path, null))).containsExactly("file_name");
        assertThat(problemFields(presign("motion_video.ts", path))).containsExactly("object_key");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAFileNameThatIsNeitherTheObjectKeyNorItsNamePart() {
        String key = "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts";
        assertThat(problemFields(presign("other.ts", key))).containsExactly("file_name");
        assertThat(problemFields(presign("ESP32P4_CAM_001/2025/07/11/143023_motion_video.ts", key)))
                .containsExactly("file_name");
        assertThat(problemFields(presign("143022_motion_video.ts", key))).containsExactly("file_name");
        // each field refused once, for what is wrong with it alone
        assertThat(problemFields(presign("x/y.ts", key))).containsExactly("file_name");
        assertThat(problemFields(presign("OTHER_CAM/2025/07/11/143022_motion_video.ts", key)))
                .containsExactly("file_name");
        assertThat(problemFields(presign("other.ts", "OTHER_CAM/2025/07/11/143022_motion_video.ts")))
                .containsExactly("object_key");
        verifyNoInteractions(service);
    }

    @Test
    void answersEachRequestOfABatchInItsOrderWithItsOwnStatusAndBody() {
        String key = "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts";
        when(service.presign(any())).thenAnswer(call -> {
            DeviceUploads.PresignRequest request = call.getArgument(0);
            if (request.fileSize() > 100) {
                return Mono.error(new ProblemException(HttpStatus.CONTENT_TOO_LARGE, "file_size is above the limit"));
            }
            return Mono.just(new DeviceUploads.Presigned(
                    true,
                    false,
                    "http://s3/" + request.fileName(),
                    "PUT",
                    "video/mp2t",
                    request.fileName(),
                    request.fileName(),
                    1L,
                    3600L,
                    Map.of("Content-Type", "video/mp2t"),
                    null,
                    null,
                    null,
                    null));
        });

        client.post()
                .uri("/internal/v1/device-uploads/batch")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .bodyValue(Map.of(
                        "requests",
                        List.of(
                                presign(key, null),
                                presign("../escape.ts", null),
                                Map.of("device_id", "ESP32P4_CAM_001", "file_name", "big.ts", "file_size", 101),
                                presign("ESP32P4_CAM_001/2025/07/11/143023_second.ts", null))))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.results.length()")
                .isEqualTo(4)
                .jsonPath("$.results[0].status")
                .isEqualTo(200)
                .jsonPath("$.results[0].upload.upload_url")
                .isEqualTo("http://s3/" + key)
                .jsonPath("$.results[0].upload.extra_headers.Content-Type")
                .isEqualTo("video/mp2t")
                .jsonPath("$.results[0].problem")
                .doesNotExist()
                .jsonPath("$.results[1].status")
                .isEqualTo(400)
                .jsonPath("$.results[1].problem.errors[0].field")
                .isEqualTo("file_name")
                .jsonPath("$.results[1].upload")
                .doesNotExist()
                .jsonPath("$.results[2].status")
                .isEqualTo(413)
                .jsonPath("$.results[2].problem.detail")
                .isEqualTo("file_size is above the limit")
                .jsonPath("$.results[3].upload.cloud_file_path")
                .isEqualTo("ESP32P4_CAM_001/2025/07/11/143023_second.ts");
        // the request its constraints refused never reached the service
        verify(service, times(3)).presign(any());
    }

    @Test
    void refusesABatchThatIsEmptyTooLargeOrNotABatch() {
        List<Map<String, Object>> tooMany =
                Collections.nCopies(DeviceUploadController.MAX_BATCH + 1, presign("a.ts", null));
        for (String body : List.of("{\"requests\":[]}", "{}", "{\"requests\":[null]}")) {
            assertThat(ProblemFields.ofBadRequest(client.post()
                            .uri("/internal/v1/device-uploads/batch")
                            .header("X-Api-Key", DevDefaults.API_KEY)
                            .contentType(MediaType.APPLICATION_JSON)
                            .bodyValue(body)
                            .exchange()))
                    .as(body)
                    .isNotEmpty()
                    .allSatisfy(field -> assertThat(field).startsWith("requests"));
        }
        assertThat(ProblemFields.ofBadRequest(client.post()
                        .uri("/internal/v1/device-uploads/batch")
                        .header("X-Api-Key", DevDefaults.API_KEY)
                        .bodyValue(Map.of("requests", tooMany))
                        .exchange()))
                .containsExactly("requests");
        verifyNoInteractions(service);
    }

    private static Map<String, Object> presign(String fileName, String objectKey) {
        return objectKey == null
                ? Map.of("device_id", "ESP32P4_CAM_001", "file_name", fileName, "file_size", 1)
                : Map.of(
                        "device_id", "ESP32P4_CAM_001", "file_name", fileName, "file_size", 1, "object_key", objectKey);
    }

    /** The fields a 400 problem JSON names, for a presign request of {@code body}. */
    private List<String> problemFields(Map<String, Object> body) {
        return ProblemFields.ofBadRequest(client.post()
                .uri("/internal/v1/device-uploads")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .bodyValue(body)
                .exchange());
    }

    /** The fields a 400 problem JSON names, for a POST of {@code json} to the API's {@code path}. */
    private List<String> problemFields(String path, String json) {
        return ProblemFields.ofBadRequest(client.post()
                .uri("/internal/v1/device-uploads" + path)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange());
    }
}
