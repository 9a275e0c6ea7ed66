package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * With public projects set (DASHBOARD_REALTIME_PUBLIC_PROJECTS), realtime-service admits a native WebSocket without a
 * token, and so does the gateway; a token that is sent must still be valid.
 */
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "dashboard.realtime.public.projects=demo")
@AutoConfigureWebTestClient(timeout = "PT20S")
class GatewayTokenlessWebSocketTests {

    private static final StubBackends BACKENDS = new StubBackends();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("dashboard.security.jwt-secret", () -> DevDefaults.JWT_SECRET);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @Autowired
    WebTestClient client;

    @LocalServerPort
    int port;

    @Test
    void upgradesANativeWebSocketWithoutAToken() {
        assertThat(WebSocketEcho.through(port, "/project-dashboard/ws")).isEqualTo("realtime-service /ws hello");
    }

    @Test
    void stillRefusesATokenThatIsSentButInvalid() {
        Instant past = Instant.now().minusSeconds(7200);
        for (String token : new String[] {
            "not-a-jwt",
            DevTokens.builder("alice")
                    .issuedAt(past)
                    .expiresAt(past.plusSeconds(60))
                    .sign()
        }) {
            client.get()
                    .uri("/project-dashboard/ws?token=" + token)
                    .header(HttpHeaders.CONNECTION, "Upgrade")
                    .header(HttpHeaders.UPGRADE, "websocket")
                    .header("Sec-WebSocket-Version", "13")
                    .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                    .exchange()
                    .expectStatus()
                    .isUnauthorized()
                    .expectHeader()
                    .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void keepsTheApiBehindTokens() {
        client.get()
                .uri("/project-dashboard/api/v1/realtime/stats")
                .exchange()
                .expectStatus()
                .isUnauthorized();
    }
}
