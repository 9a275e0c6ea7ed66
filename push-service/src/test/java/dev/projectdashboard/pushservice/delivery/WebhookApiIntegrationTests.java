package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.ProblemFields;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/**
 * The registration API: what it refuses (each setting checked before anything is stored, SSRF addresses among
 * them), what it never shows (secrets, auth config), rotation and the test send.
 */
@ExtendWith(OutputCaptureExtension.class)
class WebhookApiIntegrationTests extends PushTestSupport {

    @Test
    void aRegistrationShowsItsGeneratedSecretOnceAndNeverItsAuthConfig(CapturedOutput output) {
        JsonNode created = register(Map.of(
                "name",
                "erp",
                "url",
                sink.url("/erp"),
                "auth_type",
                "api_key",
                "auth_config",
                Map.of("key_name", "X-API-Key", "key_value", "key-value-never-shown")));
        String id = created.get("id").asString();
        String secret = created.get("secret").asString();

        assertThat(secret).startsWith("whsec_");
        assertThat(created.get("event_types"))
                .extracting(JsonNode::asString)
                .containsExactly("task.completed", "task.failed");
        assertThat(created.get("timeout").asInt()).isEqualTo(30);
        JsonNode read = get("/api/v1/webhooks/" + id);
        assertThat(read.has("secret")).isFalse();
        assertThat(read.get("auth_type").asString()).isEqualTo("api_key");
        assertThat(read.get("auth_key_name").asString()).isEqualTo("X-API-Key");
        assertThat(read.toString()).doesNotContain("key-value-never-shown").doesNotContain(secret);
        assertThat(get("/api/v1/webhooks").toString())
                .doesNotContain("key-value-never-shown")
                .doesNotContain(secret);

        JsonNode test = post("/api/v1/webhooks/" + id + "/test", null);
        assertThat(test.get("success").asBoolean()).isTrue();
        assertThat(sink.received()).hasSize(1);
        assertThat(sink.received().get(0).header("X-API-Key")).isEqualTo("key-value-never-shown");
        assertThat(test.get("request_headers").get("X-API-Key").asString()).isEqualTo("[redacted]");
        assertThat(output.getAll()).doesNotContain("key-value-never-shown").doesNotContain(secret);
    }

    @Test
    void rotationSignsWithBothSecretsDuringTheGracePeriod() {
        JsonNode created = register(Map.of("name", "rotating", "url", sink.url("/rotating")));
        String id = created.get("id").asString();
        String old = created.get("secret").asString();

        JsonNode rotated = post("/api/v1/webhooks/" + id + "/rotate-secret", Map.of());
        String fresh = rotated.get("secret").asString();
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);
        assertThat(rotated.get("previous_secret_expires_at").asString()).isNotBlank();

        post("/api/v1/webhooks/" + id + "/test", null);
        WebhookSink.Received request = sink.received().get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(dev.projectdashboard.pushservice.signature.Signatures.verifySource(
                        fresh,
                        request.body().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        request.header("X-IDP-Signature")))
                .isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://169.254.169.254/latest/meta-data",
                "http://10.0.0.5/hook",
                "http://[::ffff:10.0.0.5]/hook",
                "http://internal.test/hook",
                "http://0xa000005/hook",
                "ftp://sink.test/hook",
                "http://user:pass@sink.test/hook",
                "not a url"
            })
    void refusesAUrlWebhooksMayNotReachNamingTheField(String url) {
        assertThat(problemFields(Map.of("name", "x", "url", url))).containsExactly("url");
    }

    @Test
    void refusesEachBadSettingByItsName() {
        String url = sink.url("/x");
        assertThat(problemFields(Map.of("url", url))).containsExactly("name");
        assertThat(problemFields(Map.of("name", "x", "url", url, "event_types", List.of("task.done"))))
                .containsExactly("event_types");
        assertThat(problemFields(Map.of("name", "x", "url", url, "event_types", List.of("webhook.delivered"))))
                .containsExactly("event_types");
        assertThat(problemFields(Map.of("name", "x", "url", url, "body_template", "{\"a\": {{unknown}}}")))
                .containsExactly("body_template");
        assertThat(problemFields(Map.of("name", "x", "url", url, "body_template", "{\"a\": {{task_id}")))
                .containsExactly("body_template");
        assertThat(problemFields(Map.of("name", "x", "url", url, "body_template", "{\"a\": {{task_id}} }}")))
                .containsExactly("body_template");
        assertThat(problemFields(
                        Map.of("name", "x", "url", url, "auth_type", "basic", "auth_config", Map.of("username", "u"))))
                .containsExactly("auth_config");
        assertThat(problemFields(Map.of("name", "x", "url", url, "auth_type", "kerberos")))
                .containsExactly("auth_type");
        assertThat(problemFields(Map.of("name", "x", "url", url, "secret", "plain")))
                .containsExactly("secret");
        assertThat(problemFields(Map.of("name", "x", "url", url, "timeout", 0))).containsExactly("timeout");
        assertThat(problemFields(Map.of("name", "x", "url", url, "retry_delays", List.of(0))))
                .containsExactly("retry_delays");
        assertThat(problemFields(Map.of("name", "x", "url", url, "rate_limit", -1)))
                .containsExactly("rate_limit");
        assertThat(get("/api/v1/webhooks").get("webhooks").toString()).doesNotContain(url);
    }

    @Test
    void anUpdateChangesOnlyWhatItNamesAndChecksTheNewUrl() {
        String id = register(Map.of("name", "before", "url", sink.url("/a"), "event_types", List.of("task.failed")))
                .get("id")
                .asString();

        JsonNode updated = client.patch()
                .uri("/api/v1/webhooks/" + id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .bodyValue(Map.of("name", "after", "retry_delays", List.of(5, 60)))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
        assertThat(updated.get("name").asString()).isEqualTo("after");
        assertThat(updated.get("url").asString()).isEqualTo(sink.url("/a"));
        assertThat(updated.get("event_types").get(0).asString()).isEqualTo("task.failed");
        assertThat(updated.get("retry_delays")).extracting(JsonNode::asInt).containsExactly(5, 60);

        client.patch()
                .uri("/api/v1/webhooks/" + id)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .bodyValue(Map.of("url", "http://169.254.169.254/"))
                .exchange()
                .expectStatus()
                .isBadRequest();
        assertThat(get("/api/v1/webhooks/" + id).get("url").asString()).isEqualTo(sink.url("/a"));
    }

    @Test
    void onlyAdministratorsManageWebhooks() {
        client.get().uri("/api/v1/webhooks").exchange().expectStatus().isUnauthorized();
        client.get()
                .uri("/api/v1/push/dlq")
                .header(
                        HttpHeaders.AUTHORIZATION,
                        "Bearer " + DevTokens.userToken("bob", List.of(), List.of(), List.of()))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void aTaskIdWithAControlCharacterIsABadRequestNotAServerError() {
        for (String path : List.of("/api/v1/push/logs", "/api/v1/push/deliveries")) {
            assertThat(ProblemFields.ofBadRequest(client.get()
                            .uri(builder -> builder.path(path)
                                    .queryParam("task_id", "a\u0000b")
                                    .build())
                            .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                            .exchange()))
                    .as(path)
                    .containsExactly("task_id");
        }
    }

    private List<String> problemFields(Map<String, Object> body) {
        return ProblemFields.ofBadRequest(client.post()
                .uri("/api/v1/webhooks")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN)
                .bodyValue(body)
                .exchange());
    }
}
