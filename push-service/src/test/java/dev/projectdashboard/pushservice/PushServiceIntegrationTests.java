package dev.projectdashboard.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/** push-service against the real local stack: readiness with r2dbc, eventBus, metrics, problem JSON, own schema. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@LocalStackTest
class PushServiceIntegrationTests {

    @DynamicPropertySource
    static void localStack(DynamicPropertyRegistry registry) {
        LocalStackExtension.localStack().environment().forEach((name, value) -> registry.add(name, () -> value));
        registry.add("dashboard.security.jwt-secret", () -> TestTokens.JWT_SECRET);
    }

    @Autowired
    WebTestClient client;

    @Autowired
    DatabaseClient database;

    @Test
    void isReadyOnceItsDependenciesAre() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
        client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo("UP")
                .jsonPath("$.components.readinessState.status")
                .isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status")
                .isEqualTo("UP")
                .jsonPath("$.components.eventBus.status")
                .isEqualTo("UP");
        client.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplication() {
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("application=\"push-service\""));
    }

    @Test
    void answersUnknownPathsWithProblemJson() {
        client.get()
                .uri("/api/v1/nothing-here")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.userToken("user-1"))
                .exchange()
                .expectStatus()
                .isNotFound()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(404);
    }

    @Test
    void rejectsCallsWithoutTokenWithProblemJson() {
        client.get()
                .uri("/api/v1/nothing-here")
                .exchange()
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(401);
    }

    @Test
    void migratesItsOwnSchemaAndQueriesLandInIt() {
        StepVerifier.create(database.sql("select current_schema()")
                        .map(row -> row.get(0, String.class))
                        .one())
                .expectNext("push")
                .verifyComplete();
        StepVerifier.create(database.sql(
                                "select count(*) from information_schema.tables where table_schema = :schema and table_name = :table")
                        .bind("schema", "push")
                        .bind("table", "webhook_subscription")
                        .map(row -> row.get(0, Long.class))
                        .one())
                .expectNext(1L)
                .verifyComplete();
        StepVerifier.create(database.sql("select count(*) from webhook_subscription")
                        .map(row -> row.get(0, Long.class))
                        .one())
                .expectNextCount(1)
                .verifyComplete();
    }
}
