package dev.projectdashboard.gateway;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.DevDefaults;
import java.util.Arrays;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The gateway on a random port in front of stub backends, with the development JWT secret and the local stack's Redis
 * for its rate limits.
 */
@LocalStackTest
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT20S")
abstract class StubbedGatewayTests {

    /** Shared by the subclasses and left to the JVM's exit, like the contexts Spring caches that point at them. */
    static final StubBackends BACKENDS = new StubBackends();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
        registry.add("dashboard.security.jwt-secret", () -> DevDefaults.JWT_SECRET);
    }

    @Autowired
    protected WebTestClient client;

    @LocalServerPort
    protected int port;

    /**
     * The value of a sample on {@code /actuator/prometheus} whose name is {@code name} and whose labels include every
     * {@code label="value"} given; 0 when there is none.
     */
    protected double metric(String name, String... labels) {
        return scrape().lines()
                .filter(line -> line.startsWith(name + "{"))
                .filter(line -> Arrays.stream(labels)
                        .allMatch(label -> line.contains(label + ",") || line.contains(label + "}")))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    /** What Prometheus scrapes. */
    protected String scrape() {
        return client.get()
                .uri("/actuator/prometheus")
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody(String.class)
                .returnResult()
                .getResponseBody();
    }

    /** A WebSocket handshake request as a browser sends it, answered like any HTTP request until it is upgraded. */
    protected WebTestClient.ResponseSpec upgrade(String path) {
        return upgrade(path, headers -> {});
    }

    /** The same handshake with further headers (an {@code Origin}, say). */
    protected WebTestClient.ResponseSpec upgrade(String path, Consumer<HttpHeaders> extra) {
        return client.get()
                .uri(path)
                .header(HttpHeaders.CONNECTION, "Upgrade")
                .header(HttpHeaders.UPGRADE, "websocket")
                .header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .headers(extra)
                .exchange();
    }

    /** Asserts a problem of that status naming the service ({@code service} member); the body for more checks. */
    protected static WebTestClient.BodyContentSpec expectServiceProblem(
            WebTestClient.ResponseSpec response, HttpStatus status, String service) {
        return response.expectStatus()
                .isEqualTo(status)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.service")
                .isEqualTo(service);
    }
}
