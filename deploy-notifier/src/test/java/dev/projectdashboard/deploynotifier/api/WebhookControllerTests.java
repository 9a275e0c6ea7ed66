package dev.projectdashboard.deploynotifier.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.projectdashboard.deploynotifier.ingest.Receipt;
import dev.projectdashboard.deploynotifier.ingest.WebhookIngest;
import dev.projectdashboard.deploynotifier.ingest.WebhookProperties;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The webhooks' HTTP side: no user JWT, the raw body handed on as bytes, 413 and 415 before anything is read or stored,
 * the ingest's answers as 202 views and its refusals as problem JSON.
 */
@WebFluxTest(controllers = WebhookController.class, properties = "dashboard.deploy.max-payload-size=1KB")
@DevelopmentSecrets
class WebhookControllerTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** The slice binds no settings by itself; the controller reads its limits from these. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(WebhookProperties.class)
    static class Settings {}

    @Autowired
    WebTestClient client;

    @MockitoBean
    WebhookIngest ingest;

    private WebTestClient.ResponseSpec post(String hook, MediaType type, byte[] body) {
        return client.post()
                .uri("/api/webhooks/" + hook)
                .contentType(type)
                .bodyValue(body)
                .exchange();
    }

    private static JsonNode body(WebTestClient.ResponseSpec response, HttpStatus status, MediaType type) {
        return JSON.readTree(response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(type)
                .expectBody()
                .returnResult()
                .getResponseBody());
    }

    @Test
    void anAcceptedNotificationIs202WithoutAUserTokenAndTheBodyIsHandedOnAsSent() {
        byte[] sent = "{\"type\":\"test\",\"project\":\"部署\"}".getBytes(StandardCharsets.UTF_8);
        when(ingest.deployment(any(), any()))
                .thenReturn(Mono.just(new Receipt.Accepted("id-1", "test", "部署", null, false, 0, List.of())));

        JsonNode answer = body(
                post("deployment", MediaType.APPLICATION_JSON, sent), HttpStatus.ACCEPTED, MediaType.APPLICATION_JSON);

        assertThat(answer.path("id").asString()).isEqualTo("id-1");
        assertThat(answer.has("sanitized")).isFalse();
        ArgumentCaptor<byte[]> bytes = ArgumentCaptor.forClass(byte[].class);
        verify(ingest).deployment(bytes.capture(), any(HttpHeaders.class));
        assertThat(bytes.getValue()).isEqualTo(sent);
    }

    @Test
    void aGithubWebhookIsAnsweredWithWhatTheIngestMadeOfIt() {
        when(ingest.github(any(), any()))
                .thenReturn(Mono.just(new Receipt.Ignored("push", true, "push is not a deployment event")));
        JsonNode ignored = body(
                post("github", MediaType.APPLICATION_JSON, "{}".getBytes(StandardCharsets.UTF_8)),
                HttpStatus.ACCEPTED,
                MediaType.APPLICATION_JSON);
        assertThat(ignored.path("event").asString()).isEqualTo("push");
        assertThat(ignored.path("ignored").asBoolean()).isTrue();

        when(ingest.github(any(), any()))
                .thenReturn(Mono.just(new Receipt.Accepted(
                        "id-2",
                        "workflow_job",
                        "p",
                        "1",
                        false,
                        2,
                        List.of(new FieldViolation("workflow_job.name", "was cut to 255 characters")))));
        JsonNode accepted = body(
                post(
                        "github",
                        MediaType.APPLICATION_FORM_URLENCODED,
                        "payload=%7B%7D".getBytes(StandardCharsets.US_ASCII)),
                HttpStatus.ACCEPTED,
                MediaType.APPLICATION_JSON);
        assertThat(accepted.path("deployment_id").asString()).isEqualTo("1");
        assertThat(accepted.path("sanitized").get(0).path("field").asString()).isEqualTo("workflow_job.name");
    }

    @Test
    void anotherContentTypeIs415AndNothingIsRead() {
        body(
                post("deployment", MediaType.TEXT_PLAIN, "project=x".getBytes(StandardCharsets.US_ASCII)),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                MediaType.APPLICATION_PROBLEM_JSON);

        verifyNoInteractions(ingest);
    }

    @Test
    void aBodyOverTheLimitIs413AndNothingIsStored() {
        byte[] large = ("{\"message\":\"" + "x".repeat(2048) + "\"}").getBytes(StandardCharsets.US_ASCII);

        for (String hook : List.of("deployment", "github")) {
            JsonNode problem = body(
                    post(hook, MediaType.APPLICATION_JSON, large),
                    HttpStatus.CONTENT_TOO_LARGE,
                    MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(problem.path("detail").asString()).contains("1024 bytes");
        }
        verifyNoInteractions(ingest);
    }

    @Test
    void theIngestsRefusalIsProblemJsonWithItsStatus() {
        when(ingest.deployment(any(), any()))
                .thenReturn(Mono.error(new ProblemException(HttpStatus.UNAUTHORIZED, "Missing or wrong signature")));
        JsonNode unauthorized = body(
                post("deployment", MediaType.APPLICATION_JSON, "{}".getBytes(StandardCharsets.US_ASCII)),
                HttpStatus.UNAUTHORIZED,
                MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(unauthorized.path("detail").asString()).isEqualTo("Missing or wrong signature");

        when(ingest.deployment(any(), any()))
                .thenReturn(Mono.error(ProblemException.invalid(
                        "The notification has missing or invalid fields; nothing was stored",
                        List.of(new FieldViolation("deployment_id", "is required")))));
        JsonNode invalid = body(
                post("deployment", MediaType.APPLICATION_JSON, "{}".getBytes(StandardCharsets.US_ASCII)),
                HttpStatus.BAD_REQUEST,
                MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(invalid.path("errors").get(0).path("field").asString()).isEqualTo("deployment_id");
    }
}
