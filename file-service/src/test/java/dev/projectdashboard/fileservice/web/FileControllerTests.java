package dev.projectdashboard.fileservice.web;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.fileservice.domain.FileNames;
import dev.projectdashboard.fileservice.files.FileService;
import dev.projectdashboard.fileservice.files.FileViews;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
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
 * The public file API's mapping alone: parameters, their constraints, status codes and problem JSON, with the service
 * mocked. What the service does with a valid request is FileApiTests' and DirectUploadTests' business.
 */
@WebFluxTest(FileController.class)
@DevelopmentSecrets
class FileControllerTests {

    private static final String ALICE = DevTokens.userToken("alice", List.of("user"));

    @Autowired
    private WebTestClient client;

    @MockitoBean
    private FileService service;

    @Test
    void listsATasksFilesAsTheServiceAnswers() {
        FileViews.Listed file = new FileViews.Listed(
                "scenes/20260101/t1/a.ma",
                "a.ma",
                "scene",
                3,
                "text/plain",
                "abc",
                Instant.parse("2026-01-01T00:00:00Z"));
        when(service.list(any(), eq("t1"))).thenReturn(Mono.just(new FileViews.TaskFiles("t1", 1, List.of(file))));

        client.get()
                .uri("/api/v1/files?task_id=t1")
                .headers(h -> h.setBearerAuth(ALICE))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.task_id")
                .isEqualTo("t1")
                .jsonPath("$.files[0].object_key")
                .isEqualTo("scenes/20260101/t1/a.ma");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"", "..", "has space", "x12345678901234567890123456789012345678901234567890123456789012345"})
    void refusesATaskIdThatIsNoIdBeforeTheServiceIsAsked(String taskId) {
        expectInvalid(client.get().uri("/api/v1/files?task_id={t}", taskId), "task_id", FileNames.ID_RULE);
        verifyNoInteractions(service);
    }

    @Test
    void refusesARequestWithoutTheTaskId() {
        expectInvalid(client.get().uri("/api/v1/files"), "task_id", "is required");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAFileNameWithAPath() {
        expectInvalid(
                client.post().uri("/api/v1/files/upload-url?task_id=t1&filename={f}", "../a.ma"),
                "filename",
                "must be a file name without '/' or '\\'");
        verifyNoInteractions(service);
    }

    @Test
    void refusesAFileNameThatNoPathCouldAddress() {
        expectInvalid(
                client.post().uri("/api/v1/files/upload-url?task_id=t1&filename={f}", "a%25b.ma"),
                "filename",
                "must not contain '%', '?' or '#'");
        verifyNoInteractions(service);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -5, 604801})
    void refusesAnExpiryOutsideOneSecondToSevenDays(long seconds) {
        expectInvalid(
                client.post().uri("/api/v1/files/upload-url?task_id=t1&filename=a.ma&expire_time={s}", seconds),
                "expire_time",
                FileNames.EXPIRY_RULE);
        expectInvalid(
                client.get().uri("/api/v1/files/download/t1/a.ma?expire_time={s}", seconds),
                "expire_time",
                FileNames.EXPIRY_RULE);
        verifyNoInteractions(service);
    }

    @Test
    void refusesAnUnknownKind() {
        expectInvalid(
                client.post().uri("/api/v1/files/upload-url?task_id=t1&filename=a.ma&kind=video"),
                "kind",
                "must be 'scene' or 'result'");
        verifyNoInteractions(service);
    }

    @Test
    void refusesANegativeSize() {
        expectInvalid(
                client.post().uri("/api/v1/files/upload-url?task_id=t1&filename=a.ma&size=-1"),
                "size",
                "must not be negative");
        verifyNoInteractions(service);
    }

    @Test
    void refusesANumberThatIsNoNumber() {
        expectInvalid(
                client.get().uri("/api/v1/files/download/t1/a.ma?expire_time=soon"),
                "expire_time",
                "must be a valid long");
        verifyNoInteractions(service);
    }

    @Test
    void answersWithoutATokenWith401ProblemJson() {
        client.get()
                .uri("/api/v1/files?task_id=t1")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verifyNoInteractions(service);
    }

    @Test
    void passesTheServicesProblemOnAsItsStatusAndDetail() {
        when(service.info(any(), eq("scenes/20260101/t1/a.ma")))
                .thenReturn(Mono.error(new ProblemException(HttpStatus.NOT_FOUND, "No such file or task")));

        client.get()
                .uri("/api/v1/files/info/scenes/20260101/t1/a.ma")
                .headers(h -> h.setBearerAuth(ALICE))
                .exchange()
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

    @Test
    void handsTheServiceAPathKeyWithoutItsLeadingSlash() {
        when(service.delete(any(), any())).thenReturn(Mono.just(new FileViews.Deleted("k", true, "File deleted")));

        client.delete()
                .uri("/api/v1/files/results/20260101/t1/out.png")
                .headers(h -> h.setBearerAuth(ALICE))
                .exchange()
                .expectStatus()
                .isOk();

        verify(service).delete(any(), eq("results/20260101/t1/out.png"));
    }

    private void expectInvalid(WebTestClient.RequestHeadersSpec<?> request, String field, String message) {
        request.headers(h -> h.setBearerAuth(ALICE))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field")
                .isEqualTo(field)
                .jsonPath("$.errors[0].message")
                .isEqualTo(message);
    }
}
