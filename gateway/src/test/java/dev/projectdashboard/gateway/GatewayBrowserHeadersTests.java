package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.security.DevTokens;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What browsers get: the page's Content-Security-Policy and framing, referrer and sniffing headers on the page, its
 * assets and the API; CORS for a configured origin, answered at the gateway without a token, and refused for others.
 */
@TestPropertySource(properties = "GATEWAY_CORS_ALLOWED_ORIGINS=https://allowed.example, https://*.partner.example")
class GatewayBrowserHeadersTests extends StubbedGatewayTests {

    private static final String API = "/project-dashboard/api/v1/files/info/x";

    private final String token = DevTokens.userToken("viewer", List.of("user"));

    @Test
    void servesThePageWithAPolicyThatRunsNoInlineScript() {
        for (String path : List.of("/project-dashboard/", "/project-dashboard/index.html")) {
            client.get()
                    .uri(path)
                    .exchange()
                    .expectStatus()
                    .isOk()
                    .expectHeader()
                    .value("Content-Security-Policy", policy -> assertThat(directive(policy, "script-src"))
                            .isEqualTo("script-src 'self'"))
                    .expectHeader()
                    .value("Content-Security-Policy", policy -> assertThat(policy)
                            .doesNotContain("unsafe-inline")
                            .doesNotContain("unsafe-eval")
                            .contains("connect-src 'self' ws: wss:")
                            .contains("frame-ancestors 'none'")
                            .contains("default-src 'self'"))
                    .expectHeader()
                    .valueEquals("X-Frame-Options", "DENY")
                    .expectHeader()
                    .valueEquals("X-Content-Type-Options", "nosniff")
                    .expectHeader()
                    .valueEquals("Referrer-Policy", "no-referrer");
        }
    }

    @Test
    void givesThePagesAssetsThePagePolicy() {
        client.get()
                .uri("/project-dashboard/assets/app.js")
                .exchange()
                .expectHeader()
                .value("Content-Security-Policy", policy -> assertThat(policy).contains("script-src 'self'"))
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void givesApiAnswersAPolicyThatAllowsNothingAndNoSniffing() {
        client.get()
                .uri(API)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Stub-Service", "file-service")
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader()
                .valueEquals("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                .expectHeader()
                .valueEquals("Referrer-Policy", "no-referrer");
        client.get()
                .uri(API)
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .valueEquals("X-Content-Type-Options", "nosniff");
    }

    @Test
    void answersAPreflightFromAnAllowedOriginAtTheGateway() {
        int before = BACKENDS.named("file-service").receivedPaths().size();

        preflight("https://allowed.example", "POST", "authorization, content-type")
                .expectStatus()
                .is2xxSuccessful()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://allowed.example")
                .expectHeader()
                .value(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, methods -> assertThat(methods)
                        .contains("POST"))
                .expectHeader()
                .value(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, headers -> assertThat(headers.toLowerCase())
                        .contains("authorization")
                        .contains("content-type"))
                .expectHeader()
                .exists(HttpHeaders.ACCESS_CONTROL_MAX_AGE);
        preflight("https://app.partner.example", "GET", "authorization")
                .expectStatus()
                .is2xxSuccessful()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://app.partner.example");
        assertThat(BACKENDS.named("file-service").receivedPaths()).hasSize(before);
    }

    @Test
    void refusesAPreflightFromAnotherOriginWithA403Problem() {
        preflight("https://evil.example", "POST", "authorization")
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void letsAnAllowedOriginReadTheApiAndItsRetryAfter() {
        client.get()
                .uri(API)
                .header(HttpHeaders.ORIGIN, "https://allowed.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, "https://allowed.example")
                .expectHeader()
                .value(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposed -> assertThat(exposed)
                        .contains("Retry-After"));
    }

    @Test
    void refusesACrossOriginRequestFromAnotherOriginBeforeTheService() {
        int before = BACKENDS.named("file-service").receivedPaths().size();

        client.get()
                .uri(API)
                .header(HttpHeaders.ORIGIN, "https://evil.example")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(BACKENDS.named("file-service").receivedPaths()).hasSize(before);
    }

    /** Behind a proxy terminating TLS the page's origin is https://…, the gateway sees http://…: still same-origin. */
    @Test
    void treatsThePagesOwnOriginBehindATrustedProxyAsSameOrigin() {
        client.get()
                .uri(API)
                .header(HttpHeaders.ORIGIN, "https://dashboard.example.org")
                .header("X-Forwarded-Proto", "https")
                .header("X-Forwarded-Host", "dashboard.example.org")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void takesTheSameOriginWithoutAnyConfiguration() {
        client.get()
                .uri(API)
                .header(HttpHeaders.ORIGIN, "http://localhost:" + port)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk();
    }

    private WebTestClient.ResponseSpec preflight(String origin, String method, String headers) {
        return client.method(HttpMethod.OPTIONS)
                .uri(API)
                .header(HttpHeaders.ORIGIN, origin)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, headers)
                .exchange();
    }

    private static String directive(String policy, String name) {
        for (String directive : policy.split(";")) {
            if (directive.trim().startsWith(name + " ")) {
                return directive.trim();
            }
        }
        return "";
    }
}
