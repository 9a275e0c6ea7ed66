package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.security.DevTokens;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/**
 * With public projects set (DASHBOARD_REALTIME_PUBLIC_PROJECTS), realtime-service admits a native WebSocket without a
 * token, and so does the gateway; a token that is sent must still be valid.
 */
@TestPropertySource(properties = "dashboard.realtime.public.projects=demo")
class GatewayTokenlessWebSocketTests extends StubbedGatewayTests {

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
            upgrade("/project-dashboard/ws?token=" + token)
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
