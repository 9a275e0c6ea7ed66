package dev.projectdashboard.fileservice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.files.FileService;
import dev.projectdashboard.fileservice.files.FileViews;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import dev.projectdashboard.starter.test.ProblemFields;
import java.time.Instant;
import java.util.List;
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

/**
 * The internal file API's mapping alone: API key, the JSON body and its constraints, status codes and problem JSON,
 * with the service mocked. What the service finds is ServiceDownloadUrlTests' business.
 */
@WebFluxTest(InternalFileController.class)
@DevelopmentSecrets
class InternalFileControllerTests {

    private static final String PATH = "/internal/v1/files/download-url";

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private FileService service;

    @Test
    void asksTheServiceForTheTasksFileAndAnswersTheDownloadView() {
        when(service.downloadUrlForService(anyString(), anyString(), any()))
                .thenReturn(Mono.just(new FileViews.DownloadUrl(
                        "http://s3/results/20251214/T_20251214_0001/frame_001.png?X-Amz-Signature=ab",
                        "frame_001.png",
                        "results/20251214/T_20251214_0001/frame_001.png",
                        3600,
                        Instant.parse("2025-12-14T11:00:00Z"))));

        post("{\"task_id\":\"T_20251214_0001\",\"file\":\"frame_001.png\"}")
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.download_url")
                .isEqualTo("http://s3/results/20251214/T_20251214_0001/frame_001.png?X-Amz-Signature=ab")
                .jsonPath("$.filename")
                .isEqualTo("frame_001.png")
                .jsonPath("$.object_key")
                .isEqualTo("results/20251214/T_20251214_0001/frame_001.png")
                .jsonPath("$.expires_in")
                .isEqualTo(3600)
                .jsonPath("$.expires_at")
                .isEqualTo("2025-12-14T11:00:00Z");

        verify(service).downloadUrlForService("T_20251214_0001", "frame_001.png", null);
    }

    @Test
    void passesAnObjectKeyAndAnExpiryOnAsTheyAre() {
        when(service.downloadUrlForService(anyString(), anyString(), any())).thenReturn(Mono.empty());
        String key = "results/20251214/T_20251214_0001/frame_001.png";

        post("{\"task_id\":\"T_20251214_0001\",\"file\":\"" + key + "\",\"expire_time\":60}")
                .expectStatus()
                .isOk();

        verify(service).downloadUrlForService("T_20251214_0001", key, 60L);
    }

    @Test
    void refusesEveryInvalidFieldByItsSnakeCaseName() {
        assertThat(problemFields("{\"task_id\":\"T 1\",\"file\":\"../a.png\",\"expire_time\":0}"))
                .containsExactlyInAnyOrder("task_id", "file", "expire_time");
        assertThat(problemFields("{}")).containsExactlyInAnyOrder("task_id", "file");
        assertThat(problemFields("{\"task_id\":\"t1\",\"file\":\"a.png\",\"expire_time\":\"soon\"}"))
                .containsExactly("expire_time");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAnExpiryOutsideOneSecondToSevenDaysWithTheServicesRule() {
        for (long seconds : new long[] {-1, 0, 604_801}) {
            post("{\"task_id\":\"t1\",\"file\":\"a.png\",\"expire_time\":" + seconds + "}")
                    .expectStatus()
                    .isBadRequest()
                    .expectBody()
                    .jsonPath("$.errors[0].field")
                    .isEqualTo("expire_time")
                    .jsonPath("$.errors[0].message")
                    .isEqualTo(FileNames.EXPIRY_RULE);
        }
        verifyNoInteractions(service);
    }

    /** Neither a file name nor an object key, each for its own reason. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                " ",
                "..",
                ".",
                "a\\\\b.png",
                " frame.png",
                "frame%2F.png",
                "what?.png",
                "../frame.png",
                "results/20251214/t1/../frame.png",
                "results//t1/frame.png",
                "/results/20251214/t1/frame.png",
                "results/20251214/t1/"
            })
    void refusesAFileThatIsNoNameAndNoKeyNamingIt(String file) {
        assertThat(problemFields("{\"task_id\":\"t1\",\"file\":\"" + file + "\"}"))
                .as(file)
                .containsExactly("file");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAnOverlongNameAndKey() {
        assertThat(problemFields("{\"task_id\":\"t1\",\"file\":\"" + "x".repeat(256) + "\"}"))
                .containsExactly("file");
        assertThat(problemFields(
                        "{\"task_id\":\"t1\",\"file\":\"results/" + ("x".repeat(200) + "/").repeat(6) + "a.png\"}"))
                .containsExactly("file");
        verifyNoInteractions(service);
    }

    @Test
    void refusesACallerWithoutTheApiKeyOrWithAWrongOne() {
        for (String key : new String[] {null, "not-the-key"}) {
            client.post()
                    .uri(PATH)
                    .headers(headers -> {
                        if (key != null) {
                            headers.set("X-Api-Key", key);
                        }
                    })
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"task_id\":\"t1\",\"file\":\"a.png\"}")
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(service);
    }

    @Test
    void refusesAUserTokenEvenAnAdminsForTheInternalApiIsForServices() {
        for (String token : List.of(DevTokens.userToken("alice", List.of("user")), DevTokens.adminToken("root"))) {
            client.post()
                    .uri(PATH)
                    .headers(headers -> headers.setBearerAuth(token))
                    .contentType(MediaType.APPLICATION_JSON)
                    .bodyValue("{\"task_id\":\"t1\",\"file\":\"a.png\"}")
                    .exchange()
                    .expectStatus()
                    .isForbidden()
                    .expectHeader()
                    .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        verifyNoInteractions(service);
    }

    @Test
    void passesTheServicesNotFoundOnAsProblemJson() {
        when(service.downloadUrlForService(anyString(), anyString(), any()))
                .thenReturn(Mono.error(new ProblemException(HttpStatus.NOT_FOUND, "No such file or task")));

        post("{\"task_id\":\"t1\",\"file\":\"a.png\"}")
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(404)
                .jsonPath("$.detail")
                .isEqualTo("No such file or task");
    }

    private WebTestClient.ResponseSpec post(String json) {
        return client.post()
                .uri(PATH)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(json)
                .exchange();
    }

    /** The fields a 400 problem JSON names, for a POST of {@code json}. */
    private List<String> problemFields(String json) {
        return ProblemFields.ofBadRequest(post(json));
    }
}
