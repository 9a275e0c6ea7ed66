package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.ServiceContractTests;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.HeaderAssertions;

/**
 * The gateway against stub backends: the platform contract (readiness without backends, behind the public
 * prefix), the routes of docs/contracts.md, WebSockets, security at the edge, page and health.
 */
@LocalStackTest
class GatewayIntegrationTests extends ServiceContractTests {

    private static final StubBackends BACKENDS = new StubBackends();

    @DynamicPropertySource
    static void backends(DynamicPropertyRegistry registry) {
        BACKENDS.register(registry);
    }

    @AfterAll
    static void stopBackends() {
        BACKENDS.close();
    }

    @LocalServerPort
    int port;

    private final String token = userToken();

    @Override
    protected String applicationName() {
        return "gateway";
    }

    /** Readiness must not depend on any backend: a slow backend would take the whole edge out of rotation. */
    @Override
    protected List<String> readinessComponents() {
        return List.of();
    }

    @Override
    protected String unknownPath() {
        return "/project-dashboard/api/v1/nothing-here";
    }

    @Override
    protected String userToken() {
        return DevTokens.userToken("user-1", List.of("user"), List.of("*"), List.of());
    }

    @ParameterizedTest
    @CsvSource({
        "/project-dashboard/api/v1/files/info/scenes/20260101/t1/a.txt, file-service, /api/v1/files/info/scenes/20260101/t1/a.txt",
        "/project-dashboard/api/v1/realtime/stats, realtime-service, /api/v1/realtime/stats",
        "/project-dashboard/socket.io/, realtime-service, /socket.io/",
        "/socket.io/, realtime-service, /socket.io/",
        "/project-dashboard/api/v1/devices/cam-1, device-bridge, /api/v1/devices/cam-1",
        "/project-dashboard/api/v1/webhooks, push-service, /api/v1/webhooks",
        "/project-dashboard/api/v1/push/logs, push-service, /api/v1/push/logs",
        "/project-dashboard/api/webhooks/deployment, deploy-notifier, /api/webhooks/deployment",
        "/project-dashboard/api/webhooks/github, deploy-notifier, /api/webhooks/github",
        "/project-dashboard/api/v1/deployments/42, deploy-notifier, /api/v1/deployments/42",
        "/project-dashboard/api/v1/projects/demo, deploy-notifier, /api/v1/projects/demo",
        "/project-dashboard/ws, realtime-service, /ws",
    })
    void routesEachPublicPathToItsServiceWithoutThePrefix(String publicPath, String service, String backendPath) {
        client.get()
                .uri(publicPath + "?page=2")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Stub-Service", service)
                .expectHeader()
                .valueEquals("X-Stub-Path", backendPath)
                .expectHeader()
                .valueEquals("X-Stub-Query", "page=2")
                .expectHeader()
                .valueEquals("X-Stub-Prefix", "/project-dashboard")
                .expectHeader()
                .valueEquals("X-Stub-Authorization", "Bearer " + token);
    }

    @Test
    void sendsSocketIoClientsOnTheLegacyWsPathToSocketIo() {
        client.get()
                .uri("/project-dashboard/ws/?EIO=4&transport=polling")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Stub-Service", "realtime-service")
                .expectHeader()
                .valueEquals("X-Stub-Path", "/socket.io/")
                .expectHeader()
                .valueEquals("X-Stub-Query", "EIO=4&transport=polling");
    }

    @Test
    void replacesAForwardedPrefixChosenByTheClient() {
        client.get()
                .uri("/project-dashboard/api/v1/files/info/x")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .header("X-Forwarded-Prefix", "/evil")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Stub-Prefix", "/project-dashboard");
    }

    @Test
    void passesSignedWebhooksWithoutUserToken() {
        postDeploymentWebhook(headers -> {}).valueEquals("X-Stub-Path", "/api/webhooks/deployment");
    }

    /** deploy-notifier's webhooks take a webhook token as a bearer (DEPLOY_WEBHOOK_TOKENS): it is no user JWT. */
    @Test
    void passesAWebhookBearerTokenToDeployNotifier() {
        postDeploymentWebhook(headers -> headers.setBearerAuth("a-webhook-token-not-a-jwt"))
                .valueEquals("X-Stub-Authorization", "Bearer a-webhook-token-not-a-jwt");
    }

    @Test
    void rejectsApiCallsWithoutTokenAtTheEdge() {
        int before = backend("file-service").receivedPaths().size();
        expectProblem(client.get().uri("/project-dashboard/api/v1/files/info/x").exchange(), HttpStatus.UNAUTHORIZED);
        assertThat(backend("file-service").receivedPaths()).hasSize(before);
    }

    @Test
    void neverRoutesInternalEndpoints() {
        expectProblem(
                client.get()
                        .uri("/project-dashboard/internal/files/presign")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .exchange(),
                HttpStatus.NOT_FOUND);
        client.get()
                .uri("/internal/files/presign")
                .header("X-Api-Key", DevDefaults.API_KEY)
                .exchange()
                .expectStatus()
                .isNotFound();
        BACKENDS.all()
                .forEach(backend -> assertThat(backend.receivedPaths()).noneMatch(path -> path.contains("internal")));
    }

    @Test
    void proxiesNativeWebSocketToRealtimeWs() {
        assertThat(WebSocketEcho.through(port, "/project-dashboard/ws?token=" + token))
                .isEqualTo("realtime-service /ws?token=" + token + " hello");
    }

    @Test
    void proxiesSocketIoWebSocketOnTheLegacyPath() {
        assertThat(WebSocketEcho.through(port, "/project-dashboard/ws/?EIO=4&transport=websocket"))
                .isEqualTo("realtime-service /socket.io/?EIO=4&transport=websocket hello");
    }

    @Test
    void servesTheDashboardPage() {
        client.get()
                .uri("/project-dashboard/")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class)
                .value(page -> assertThat(page).contains("<title>Project Dashboard</title>"));
        client.get()
                .uri("/project-dashboard?token=abc")
                .exchange()
                .expectStatus()
                .isPermanentRedirect()
                .expectHeader()
                .location("/project-dashboard/?token=abc");
    }

    @Test
    void keepsBackendsOutOfReadinessButShowsThemInFullHealth() {
        client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectBody()
                .jsonPath("$.components.downstream")
                .doesNotExist();
        client.get()
                .uri("/actuator/health")
                .exchange()
                .expectBody()
                .jsonPath("$.components.downstream.components['file-service'].status")
                .isEqualTo("UP")
                .jsonPath("$.components.downstream.components['deploy-notifier'].status")
                .isEqualTo("UP");
    }

    private static StubBackend backend(String name) {
        return BACKENDS.named(name);
    }

    private HeaderAssertions postDeploymentWebhook(Consumer<HttpHeaders> headers) {
        return client.post()
                .uri("/project-dashboard/api/webhooks/deployment")
                .headers(headers)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"step_started\"}")
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader();
    }
}
