package dev.projectdashboard.starter.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.startsWith;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.StarterWebTests;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

class DashboardSecurityTests extends StarterWebTests {

    @Test
    void validTokenReachesControllerWithPrincipalFromClaims() {
        String token = DevTokens.userToken("alice", List.of("viewer", "Operator"), List.of("demo"), List.of("*"));

        client.get()
                .uri("/api/me")
                .headers(h -> h.setBearerAuth(token))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.user_id")
                .isEqualTo("alice")
                .jsonPath("$.roles")
                .isEqualTo(List.of("operator", "viewer"))
                .jsonPath("$.projects")
                .isEqualTo(List.of("demo"))
                .jsonPath("$.devices")
                .isEqualTo(List.of("*"))
                .jsonPath("$.admin")
                .isEqualTo(false)
                .jsonPath("$.may_watch_demo")
                .isEqualTo(true)
                .jsonPath("$.may_act_for_cam_1")
                .isEqualTo(true);
    }

    @Test
    void selfAuthenticatedPathsAreOpenAndTheirBearerTokenIsNotReadAsAJwt() {
        client.post()
                .uri("/hooks/deploy")
                .headers(h -> h.setBearerAuth("a-webhook-token-not-a-jwt"))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.authorization")
                .isEqualTo("Bearer a-webhook-token-not-a-jwt");
        client.post().uri("/hooks/deploy").exchange().expectStatus().isOk();
        // elsewhere the same header is still a (bad) user JWT
        expectUnauthorized(withToken("/api/me", "a-webhook-token-not-a-jwt"));
    }

    @Test
    void missingTokenIsUnauthorizedProblemWithBearerChallenge() {
        expectUnauthorized(client.get().uri("/api/me").exchange())
                .expectHeader()
                .valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    @Test
    void expiredTokenIsUnauthorized() {
        String expired = DevTokens.builder("alice")
                .issuedAt(Instant.now().minusSeconds(7200))
                .expiresAt(Instant.now().minusSeconds(3600))
                .sign();

        expectUnauthorized(withToken("/api/me", expired), "expired")
                .expectHeader()
                .value(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer error=\"invalid_token\""));
    }

    @Test
    void tokenWithoutExpiryIsUnauthorized() {
        expectUnauthorized(
                withToken("/api/me", DevTokens.builder("alice").withoutExpiry().sign()));
    }

    @Test
    void tokenSignedWithAnotherSecretIsUnauthorized() {
        String forged = DevTokens.builder("alice")
                .roles(List.of("admin"))
                .secret("another-secret-that-is-long-enough-0123456789")
                .sign();

        expectUnauthorized(withToken("/api/me", forged));
    }

    @Test
    void tamperedPayloadIsUnauthorized() throws Exception {
        String token = DevTokens.userToken("alice", List.of("viewer"));
        String[] parts = token.split("\\.");
        SignedJWT admin = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject("alice")
                        .claim("roles", List.of("admin"))
                        .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build());
        admin.sign(new MACSigner("x".repeat(32).getBytes(StandardCharsets.UTF_8)));
        String forged = parts[0] + "." + admin.serialize().split("\\.")[1] + "." + parts[2];

        expectUnauthorized(withToken("/api/me", forged));
    }

    @Test
    void unsignedNoneAlgorithmTokenIsUnauthorized() {
        String none = new PlainJWT(new JWTClaimsSet.Builder()
                        .subject("alice")
                        .claim("roles", List.of("admin"))
                        .expirationTime(Date.from(Instant.now().plusSeconds(600)))
                        .build())
                .serialize();

        expectUnauthorized(withToken("/api/me", none));
    }

    @Test
    void userWithoutAdminRoleIsForbiddenOnAdminRule() {
        withToken("/api/admin/stats", DevTokens.userToken("alice", List.of("viewer")))
                .expectStatus()
                .isForbidden()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(403)
                .jsonPath("$.title")
                .isEqualTo("Forbidden")
                .jsonPath("$.instance")
                .isEqualTo("/api/admin/stats");
    }

    @Test
    void adminPassesAdminRule() {
        withToken("/api/admin/stats", DevTokens.adminToken("root"))
                .expectStatus()
                .isOk();
    }

    @Test
    void apiKeyPathWithoutKeyIsUnauthorizedWithApiKeyChallenge() {
        expectUnauthorized(client.get().uri("/internal/ping").exchange())
                .expectHeader()
                .value(HttpHeaders.WWW_AUTHENTICATE, startsWith("ApiKey"));
    }

    @Test
    void apiKeyPathWithWrongKeyIsUnauthorized() {
        expectUnauthorized(
                client.get()
                        .uri("/internal/ping")
                        .header(ApiKeyVerifier.HEADER, DevDefaults.API_KEY + "x")
                        .exchange(),
                "X-Api-Key");
    }

    @Test
    void apiKeyPathWithRightKeyIsOk() {
        client.get()
                .uri("/internal/ping")
                .header(ApiKeyVerifier.HEADER, DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.pong")
                .isEqualTo("ok");
    }

    @Test
    void userTokenIsNotEnoughOnApiKeyPath() {
        withToken("/internal/ping", DevTokens.adminToken("root")).expectStatus().isForbidden();
    }

    @Test
    void apiKeyIsNotAUserOnUserPaths() {
        client.get()
                .uri("/api/me")
                .header(ApiKeyVerifier.HEADER, DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void customizedRuleAcceptsApiKeyOrAdminToken() {
        client.post()
                .uri("/api/publish")
                .header(ApiKeyVerifier.HEADER, DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/api/publish")
                .headers(h -> h.setBearerAuth(DevTokens.adminToken("root")))
                .exchange()
                .expectStatus()
                .isOk();
        client.post()
                .uri("/api/publish")
                .headers(h -> h.setBearerAuth(DevTokens.userToken("alice", List.of("viewer"))))
                .exchange()
                .expectStatus()
                .isForbidden();
    }

    @Test
    void queryTokenIsAcceptedOnConfiguredWebSocketPath() {
        client.get()
                .uri(uri -> uri.path("/ws")
                        .queryParam("token", DevTokens.userToken("bob", List.of()))
                        .build())
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.user_id")
                .isEqualTo("bob");
    }

    @Test
    void queryTokenIsIgnoredElsewhere() {
        expectUnauthorized(client.get()
                .uri(uri -> uri.path("/api/me")
                        .queryParam("token", DevTokens.adminToken("root"))
                        .build())
                .exchange());
    }

    @Test
    void invalidQueryTokenOnWebSocketPathIsUnauthorized() {
        expectUnauthorized(client.get()
                .uri(uri -> uri.path("/ws").queryParam("token", "not-a-jwt").build())
                .exchange());
    }

    @Test
    void noSessionCookieIsIssued() {
        withToken("/api/me", DevTokens.userToken("alice", List.of()))
                .expectStatus()
                .isOk()
                .expectHeader()
                .doesNotExist(HttpHeaders.SET_COOKIE);
    }

    private WebTestClient.ResponseSpec withToken(String path, String token) {
        return client.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
    }

    private static WebTestClient.ResponseSpec expectUnauthorized(WebTestClient.ResponseSpec response) {
        return expectUnauthorized(response, "");
    }

    private static WebTestClient.ResponseSpec expectUnauthorized(
            WebTestClient.ResponseSpec response, String detailContains) {
        response.expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .exists(HttpHeaders.WWW_AUTHENTICATE)
                .expectBody()
                .jsonPath("$.type")
                .isEqualTo("about:blank")
                .jsonPath("$.title")
                .isEqualTo("Unauthorized")
                .jsonPath("$.status")
                .isEqualTo(401)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).isNotBlank().contains(detailContains))
                .jsonPath("$.instance")
                .value(instance -> assertThat((String) instance).startsWith("/"));
        return response;
    }
}
