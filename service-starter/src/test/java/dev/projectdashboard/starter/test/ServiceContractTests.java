package dev.projectdashboard.starter.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.starter.security.DevTokens;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The platform contract every service honours (docs/contracts.md: actuator probes, metrics, RFC 9457 errors, JWT at
 * the door), checked once here against the whole running service instead of copied into each module.
 *
 * <p>A service's integration test extends this class (or {@link DatabaseServiceContractTests}), adds whatever
 * else its context needs (e.g. {@code @LocalStackTest}, which brings the local stack's settings) and names what
 * only it knows: its application name and its readiness components. The JWT secret and API key are pinned to the
 * development values ({@link DevelopmentSecrets}), so {@link DevTokens} mints valid tokens whatever the machine's
 * environment says.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// the 5 s default is too tight for the first requests to a freshly started service on a busy CI runner
@AutoConfigureWebTestClient(timeout = "PT20S")
@DevelopmentSecrets
public abstract class ServiceContractTests {

    /** Generous because a service only turns ready once every dependency answered its first health check. */
    protected static final Duration READINESS_TIMEOUT = Duration.ofSeconds(20);

    private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT =
            new ParameterizedTypeReference<>() {};

    @Autowired
    protected WebTestClient client;

    /** {@code spring.application.name}, expected as the {@code application} tag on every metric. */
    protected abstract String applicationName();

    /** Health contributors the readiness group must contain besides {@code readinessState}, e.g. {@code r2dbc}. */
    protected abstract List<String> readinessComponents();

    /** A path no route or handler answers; a service behind a prefix overrides it. */
    protected String unknownPath() {
        return "/api/v1/nothing-here";
    }

    /** A valid user token; a service whose routes need particular claims overrides it. */
    protected String userToken() {
        return DevTokens.userToken("user-1", List.of("user"));
    }

    @Test
    void isReadyOnceItsDependenciesAre() {
        await().atMost(READINESS_TIMEOUT).untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
        Map<String, Object> readiness = healthGroup("readiness");
        assertThat(readiness).containsEntry("status", "UP");
        List<String> expected = new ArrayList<>(readinessComponents());
        expected.add("readinessState");
        // exactly these: a component missing from the group, or one slipping in (say, a downstream service), is a bug
        Map<String, Object> components = components(readiness);
        assertThat(components).containsOnlyKeys(expected);
        components.forEach((name, component) -> assertThat(component)
                .as("readiness component %s", name)
                .asInstanceOf(InstanceOfAssertFactories.MAP)
                .containsEntry("status", "UP"));
    }

    @Test
    void isLive() {
        Map<String, Object> liveness = healthGroup("liveness");
        assertThat(liveness).containsEntry("status", "UP");
    }

    @Test
    void exposesPrometheusMetricsTaggedWithTheApplication() {
        client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .value(body -> assertThat(body).contains("application=\"" + applicationName() + "\""));
    }

    @Test
    void answersUnknownPathsWithProblemJson() {
        expectProblem(
                client.get()
                        .uri(unknownPath())
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + userToken())
                        .exchange(),
                HttpStatus.NOT_FOUND);
    }

    @Test
    void rejectsCallsWithoutTokenWithProblemJson() {
        expectProblem(client.get().uri(unknownPath()).exchange(), HttpStatus.UNAUTHORIZED);
    }

    /** Asserts an RFC 9457 problem response: the status, the problem media type and the status in the body. */
    protected static void expectProblem(WebTestClient.ResponseSpec response, HttpStatus status) {
        response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(status.value());
    }

    private Map<String, Object> healthGroup(String group) {
        Map<String, Object> health = client.get()
                .uri("/actuator/health/" + group)
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(JSON_OBJECT)
                .returnResult()
                .getResponseBody();
        assertThat(health).as("%s health", group).isNotNull();
        return health;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> components(Map<String, Object> health) {
        assertThat(health).containsKey("components");
        return (Map<String, Object>) health.get("components");
    }
}
