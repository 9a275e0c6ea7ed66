package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.tcp.TcpServer;

/**
 * Services that fail in the ways services fail: stopped (nothing listens), hanging (no answer), dying mid-request
 * (connection closed without an answer), answering garbage. Each is a problem naming the service, never a 500 with a
 * stack trace; the circuit breaker of a service that keeps failing opens, and then refuses without trying, WebSocket
 * upgrades included.
 */
@TestPropertySource(
        properties = {
            "spring.cloud.gateway.server.webflux.httpclient.response-timeout=1s",
            "dashboard.gateway.circuit-breaker.minimum-number-of-calls=4",
            "dashboard.gateway.circuit-breaker.sliding-window-size=4",
            "dashboard.gateway.circuit-breaker.wait-in-open-state=60s",
        })
class GatewayUpstreamFailureTests extends StubbedGatewayTests {

    /** Answers nothing: the gateway's response timeout ends the wait. */
    private static final DisposableServer HANGING = HttpServer.create()
            .host("127.0.0.1")
            .port(0)
            .handle((request, response) -> Mono.never())
            .bindNow();

    /** Accepts each connection and closes it without a word, counting the attempts. */
    private static final AtomicInteger DYING_ATTEMPTS = new AtomicInteger();

    private static final DisposableServer DYING = TcpServer.create()
            .host("127.0.0.1")
            .port(0)
            .doOnConnection(connection -> DYING_ATTEMPTS.incrementAndGet())
            .handle((in, out) -> out.withConnection(Connection::dispose).then())
            .bindNow();

    /** Whose port nothing listens on any more. */
    private static final String STOPPED = stoppedServiceUrl();

    @DynamicPropertySource
    static void failingServices(DynamicPropertyRegistry registry) {
        // the bound properties themselves: the stubs' URL variables are registered too
        registry.add("dashboard.upstreams.device-bridge", () -> STOPPED);
        registry.add("dashboard.upstreams.realtime-service", () -> STOPPED);
        registry.add("dashboard.upstreams.push-service", () -> "http://127.0.0.1:" + HANGING.port());
        registry.add("dashboard.upstreams.deploy-notifier", () -> "http://127.0.0.1:" + DYING.port());
    }

    @AfterAll
    static void stopFailingServices() {
        HANGING.disposeNow();
        DYING.disposeNow();
    }

    private final String token = DevTokens.userToken("user-1", List.of("user"), List.of("*"), List.of("*"));

    @Test
    void answersAStoppedServiceWithA503ProblemNamingIt() {
        WebTestClient.ResponseSpec response = get("/project-dashboard/api/v1/devices/cam-1");

        response.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "60");
        expectServiceProblem(response, HttpStatus.SERVICE_UNAVAILABLE, "device-bridge")
                .jsonPath("$.status")
                .isEqualTo(503)
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("device-bridge"))
                .jsonPath("$.correlation_id")
                .exists()
                .consumeWith(result -> assertThat(new String(result.getResponseBodyContent()))
                        .doesNotContain("127.0.0.1")
                        .doesNotContain("Connection refused")
                        .doesNotContain("Exception"));
    }

    @Test
    void answersAServiceThatDoesNotAnswerInTimeWithA504Problem() {
        expectServiceProblem(get("/project-dashboard/api/v1/push/logs"), HttpStatus.GATEWAY_TIMEOUT, "push-service")
                .jsonPath("$.detail")
                .isEqualTo("The push-service service did not answer in time.");
    }

    /**
     * deploy-notifier closes every connection without answering: 502s until its breaker has seen enough failures,
     * then 503s that do not even try to connect.
     */
    @Test
    void opensTheBreakerOfAServiceThatKeepsFailingAndStopsTryingIt() {
        for (int i = 0; i < 4; i++) {
            get("/project-dashboard/api/v1/deployments/" + i)
                    .expectStatus()
                    .isEqualTo(HttpStatus.BAD_GATEWAY)
                    .expectBody()
                    .jsonPath("$.service")
                    .isEqualTo("deploy-notifier");
        }
        int attempts = DYING_ATTEMPTS.get();

        get("/project-dashboard/api/v1/deployments/5")
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader()
                .valueEquals(HttpHeaders.RETRY_AFTER, "60")
                .expectBody()
                .jsonPath("$.detail")
                .value(detail -> assertThat((String) detail).contains("repeated failures"));
        // the webhook ingest route goes to the same service, so through the same breaker
        client.post()
                .uri("/project-dashboard/api/webhooks/deployment")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{}")
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(DYING_ATTEMPTS.get()).isEqualTo(attempts);
        assertThat(metric("resilience4j_circuitbreaker_state", "name=\"deploy-notifier\"", "state=\"open\""))
                .isEqualTo(1.0);
        assertThat(metric("resilience4j_circuitbreaker_state", "name=\"file-service\"", "state=\"closed\""))
                .isEqualTo(1.0);
    }

    /** Once realtime-service's breaker is open, a WebSocket upgrade is refused with a 503 problem, not upgraded. */
    @Test
    void refusesAWebSocketUpgradeWithA503WhileTheBreakerIsOpen() {
        for (int i = 0; i < 4; i++) {
            get("/project-dashboard/api/v1/realtime/stats").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }

        expectServiceProblem(
                upgrade("/project-dashboard/ws?token=" + token), HttpStatus.SERVICE_UNAVAILABLE, "realtime-service");
    }

    @Test
    void keepsServingTheOtherServices() {
        get("/project-dashboard/api/v1/files/info/x").expectStatus().isOk();
    }

    private WebTestClient.ResponseSpec get(String path) {
        return client.get()
                .uri(path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange();
    }

    private static String stoppedServiceUrl() {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0).bindNow();
        String url = "http://127.0.0.1:" + server.port();
        server.disposeNow();
        return url;
    }
}
