package dev.projectdashboard.devicebridge.camera;

import static org.awaitility.Awaitility.await;

import dev.projectdashboard.devicebridge.mqtt.DeviceMessages;
import dev.projectdashboard.devicebridge.mqtt.MqttConnection;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.test.DevelopmentSecrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

/**
 * device-bridge against the local stack's broker, PostgreSQL and Redis, with {@link FileServiceStub} signing real URLs
 * on its S3; devices registered through the API, cameras connected as real MQTT clients.
 */
@LocalStackTest
@DevelopmentSecrets
@SpringBootTest(
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "dashboard.uploads.rate-limit=20",
            "dashboard.devices.cache-ttl=1s",
            // BacklogIntegrationTests holds file-service's answers longer than the default allows
            "dashboard.file-service.timeout=30s"
        })
@AutoConfigureWebTestClient(timeout = "PT30S")
public abstract class CameraTestSupport {

    protected static final String ADMIN = DevTokens.adminToken("root");

    protected static FileServiceStub fileService;

    @Autowired
    protected WebTestClient client;

    @Autowired
    private MqttConnection mqttConnection;

    @Autowired
    private DeviceMessages deviceMessages;

    private final List<Camera> cameras = new ArrayList<>();

    @DynamicPropertySource
    static void fileService(DynamicPropertyRegistry registry) {
        if (fileService == null) {
            fileService = new FileServiceStub(stack());
        }
        registry.add("dashboard.file-service.url", fileService::url);
    }

    @BeforeEach
    void bridgeIsSubscribed() {
        // the bridge subscribes once connected; a request published before that would reach nobody
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
        fileService.unavailable(false);
        fileService.release();
    }

    @AfterEach
    void disconnectCameras() {
        cameras.forEach(Camera::close);
        cameras.clear();
    }

    /**
     * Runs {@code action} while this context's bridge is off the broker, so that another replica (on the same
     * shared subscription or its own) gets every request; reconnects it afterwards.
     */
    protected void withoutThisBridge(Runnable action) {
        mqttConnection.stop();
        try {
            action.run();
        } finally {
            mqttConnection.start();
            await().atMost(Duration.ofSeconds(20)).until(deviceMessages::subscribed);
        }
    }

    protected static LocalStack stack() {
        return LocalStackExtension.localStack();
    }

    protected static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Registers a device through the API; the answer holds its secret. */
    protected JsonNode register(String deviceId, String owner) {
        return client.post()
                .uri("/api/v1/devices")
                .headers(headers -> headers.setBearerAuth(ADMIN))
                .bodyValue(
                        owner == null
                                ? Map.of("device_id", deviceId, "name", "Camera " + deviceId)
                                : Map.of("device_id", deviceId, "name", "Camera " + deviceId, "owner_id", owner))
                .exchange()
                .expectStatus()
                .isCreated()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }

    /** A registered device's camera, connected and subscribed to its response topic. */
    protected Camera camera(String deviceId) {
        JsonNode credentials = register(deviceId, null);
        return connect(deviceId, credentials.get("mqtt_password").asString());
    }

    protected Camera connect(String deviceId, String secret) {
        Camera camera = Camera.connect(stack().mqttHost(), stack().mqttPort(), deviceId, secret);
        cameras.add(camera);
        return camera;
    }

    protected JsonNode getJson(String path, String token) {
        return okJson(client.get().uri(path).headers(headers -> headers.setBearerAuth(token)));
    }

    /** An admin's {@code PATCH /api/v1/devices/{id}} with {@code enabled:false}. */
    protected void disable(String deviceId) {
        client.patch()
                .uri("/api/v1/devices/" + deviceId)
                .headers(headers -> headers.setBearerAuth(ADMIN))
                .bodyValue(Map.of("enabled", false))
                .exchange()
                .expectStatus()
                .isOk();
    }

    /** A POST that must answer 200 with JSON; {@code headers} adds the credentials. */
    protected JsonNode postJson(String path, Object body, Consumer<HttpHeaders> headers) {
        return okJson(client.post().uri(path).headers(headers).bodyValue(body));
    }

    private static JsonNode okJson(WebTestClient.RequestHeadersSpec<?> request) {
        return request.exchange()
                .expectStatus()
                .isOk()
                .expectBody(JsonNode.class)
                .returnResult()
                .getResponseBody();
    }
}
