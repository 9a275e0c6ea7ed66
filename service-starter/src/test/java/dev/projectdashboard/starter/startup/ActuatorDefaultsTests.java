package dev.projectdashboard.starter.startup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.StarterWebTests;
import dev.projectdashboard.starter.security.ApiKeyVerifier;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.server.DashboardServerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

class ActuatorDefaultsTests extends StarterWebTests {

    @Autowired
    ReadyLogger readyLogger;

    @Autowired
    Environment environment;

    @Autowired
    DashboardServerProperties serverProperties;

    @LocalServerPort
    int port;

    @Test
    void healthAndProbesArePublic() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        client.get().uri("/actuator/info").exchange().expectStatus().isOk();
        client.get()
                .uri("/actuator/health/liveness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
        client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP");
    }

    @Test
    void anonymousCallersSeeComponentStatusesButNoDetails() {
        byte[] readiness = readinessAs(headers -> {})
                .jsonPath("$.components.upstream.status")
                .isEqualTo("UP")
                .jsonPath("$.components.upstream.details")
                .doesNotExist()
                .returnResult()
                .getResponseBodyContent();
        assertThat(new String(readiness, StandardCharsets.UTF_8)).doesNotContain("10.0.0.5");
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.upstream.details")
                .doesNotExist();
    }

    @Test
    void onlyAdminsSeeHealthDetails() {
        readinessAs(headers -> headers.setBearerAuth(DevTokens.adminToken("root")))
                .jsonPath("$.components.upstream.details.address")
                .isEqualTo("10.0.0.5:6379");
        readinessAs(headers -> headers.setBearerAuth(DevTokens.userToken("alice", List.of("viewer"))))
                .jsonPath("$.components.upstream.status")
                .isEqualTo("UP")
                .jsonPath("$.components.upstream.details")
                .doesNotExist();
        readinessAs(headers -> headers.set(ApiKeyVerifier.HEADER, DevDefaults.API_KEY))
                .jsonPath("$.components.upstream.details")
                .doesNotExist();
    }

    @Test
    void prometheusIsPublicAndTagsTheApplication() {
        client.get().uri("/actuator/health").exchange().expectStatus().isOk();
        String scrape = client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
        assertThat(scrape).contains("application=\"starter-test\"");
        // requests are timed; Spring Security's per-filter observations are switched off
        assertThat(scrape).contains("http_server_requests_seconds_count").doesNotContain("spring_security_");
    }

    @Test
    void otherActuatorEndpointsAreNotExposed() {
        client.get()
                .uri("/actuator/env")
                .headers(h -> h.setBearerAuth(DevTokens.adminToken("root")))
                .exchange()
                .expectStatus()
                .isNotFound();
    }

    @Test
    void serviceSettingsOverrideDefaultsAndDefaultsFillTheRest() {
        assertThat(environment.getProperty("spring.webflux.problemdetails.enabled"))
                .isEqualTo("true");
        assertThat(environment.getProperty("server.shutdown")).isEqualTo("graceful");
        // keep-alive connections without a next request and stalled request bodies are let go after a minute
        assertThat(environment.getProperty("server.netty.idle-timeout")).isEqualTo("60s");
        assertThat(serverProperties.readTimeout()).isEqualTo(Duration.ofSeconds(60));
        // application.yml of the test service wins over the starter's empty default
        assertThat(environment.getProperty("dashboard.security.query-token-paths"))
                .isEqualTo("/ws");
    }

    @Test
    void readyLineNamesServicePortAndUpstreams() {
        assertThat(readyLogger.readyLine())
                .isEqualTo("starter-test ready on port " + port
                        + "; upstreams: {file-service=http://localhost:8081, push-service=http://localhost:8084}");
    }

    private WebTestClient.BodyContentSpec readinessAs(Consumer<HttpHeaders> credentials) {
        return client.get()
                .uri("/actuator/health/readiness")
                .headers(credentials)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody();
    }
}
