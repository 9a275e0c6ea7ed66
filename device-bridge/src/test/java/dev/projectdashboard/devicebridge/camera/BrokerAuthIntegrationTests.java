package dev.projectdashboard.devicebridge.camera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import dev.projectdashboard.starter.DevDefaults;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * One device can never act for another, at the broker: the local stack's broker asks the bridge's auth endpoint
 * (EMQX's shape) at every login and enforces the topic rules it answers; the bridge logs in with its own credentials.
 */
class BrokerAuthIntegrationTests extends CameraTestSupport {

    @LocalServerPort
    int port;

    @BeforeEach
    void brokerAsksTheBridge() {
        if (stack().mqttAuthUrl().isEmpty()) {
            stack().requireMqttAuthentication(
                            URI.create("http://127.0.0.1:" + port + "/internal/v1/mqtt/auth"), DevDefaults.API_KEY);
            // the bridge connected anonymously before: a restart makes it log in with its credentials
            restartBroker();
        }
    }

    @AfterAll
    static void anonymousAgain() {
        stack().allowAnonymousMqtt();
    }

    @Test
    void anonymousClientsAreRefused() {
        assertThatThrownBy(() -> connect(unique("ANON"), null))
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, refused -> assertThat(
                                refused.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void aWrongSecretAnUnknownDeviceOrAnotherDevicesClientIdIsRefused() {
        String id = unique("CAM");
        String secret = register(id, null).get("mqtt_password").asString();
        assertThatThrownBy(() -> connect(id, secret + "x")).isInstanceOf(Mqtt5ConnAckException.class);
        assertThatThrownBy(() -> connect(unique("GHOST"), secret)).isInstanceOf(Mqtt5ConnAckException.class);
        String other = unique("CAM");
        register(other, null);
        // logging in under another device's client id would push that device off the broker
        assertThatThrownBy(() -> Camera.login(stack().mqttHost(), stack().mqttPort(), other, id, secret))
                .isInstanceOf(Mqtt5ConnAckException.class);
        assertThat(connect(id, secret).isConnected()).isTrue();
    }

    @Test
    void aDeviceMayUseOnlyItsOwnTopics() {
        String mine = unique("CAM");
        String theirs = unique("CAM");
        Camera camera = camera(mine);
        Camera victim = camera(theirs);

        assertThat(camera.subscribe("devices/" + theirs + "/upload/response").getReasonCodes())
                .allMatch(code -> code.isError());
        assertThat(camera.subscribe("devices/#").getReasonCodes()).allMatch(code -> code.isError());
        assertThat(camera.subscribe("$share/device-bridge/devices/+/upload/request")
                        .getReasonCodes())
                .allMatch(code -> code.isError());

        // its own request works
        Camera.assertSuccess(camera.request(camera.sourceRequest("r-own", "a.ts", 10, 1)));
        // a request published as the other camera never reaches the bridge: the broker refuses it (and drops the
        // client that tried)
        Map<String, Object> forged = victim.sourceRequest("r-forged", "a.ts", 10, 1);
        try {
            camera.publish("devices/" + theirs + "/upload/request", Camera.JSON.writeValueAsBytes(forged));
        } catch (RuntimeException refused) {
            // MQTT 5: PUBACK NOT_AUTHORIZED, then the broker disconnects
        }
        // the victim's own request, sent after the forged one, is answered; the forged one never was
        Camera.assertSuccess(victim.request(victim.sourceRequest("r-real", "a.ts", 10, 1)));
        assertThat(victim.answers("r-forged")).isEmpty();
        assertThat(getJson("/api/v1/devices/" + theirs + "/uploads", ADMIN).get("uploads"))
                .extracting(upload -> upload.get("request_id").asString())
                .containsExactly("r-real");
    }

    @Test
    void theBridgeLogsInAgainAfterABrokerRestartAndKeepsAnswering() {
        restartBroker();
        Camera camera = camera(unique("CAM"));
        Camera.assertSuccess(camera.request(camera.sourceRequest("r-after", "a.ts", 10, 1)));
    }

    @Test
    void aRotatedSecretReplacesTheOldOneAndADisabledDeviceCannotLogIn() {
        String id = unique("CAM");
        String old = register(id, null).get("mqtt_password").asString();
        JsonNode rotated =
                postJson("/api/v1/devices/" + id + "/secret", Map.of(), headers -> headers.setBearerAuth(ADMIN));
        String fresh = rotated.get("mqtt_password").asString();
        assertThat(fresh).isNotEqualTo(old).startsWith("dsec_");
        assertThatThrownBy(() -> connect(id, old)).isInstanceOf(Mqtt5ConnAckException.class);
        connect(id, fresh).close();

        disable(id);
        assertThatThrownBy(() -> connect(id, fresh)).isInstanceOf(Mqtt5ConnAckException.class);
    }

    @Test
    void theEndpointAnswersInEmqxShape() {
        String id = unique("CAM");
        String secret = register(id, null).get("mqtt_password").asString();
        JsonNode allowed = auth(Map.of("clientid", id, "username", id, "password", secret));
        assertThat(allowed.get("result").asString()).isEqualTo("allow");
        assertThat(allowed.get("is_superuser").asBoolean()).isFalse();
        assertThat(allowed.get("acl")
                        .valueStream()
                        .map(rule -> rule.get("action").asString() + " "
                                + rule.get("topic").asString()))
                .containsExactly(
                        "publish devices/" + id + "/upload/request",
                        "publish devices/" + id + "/status/upload",
                        "subscribe devices/" + id + "/upload/response/#");
        assertThat(auth(Map.of("clientid", id, "username", id, "password", "nope"))
                        .get("result")
                        .asString())
                .isEqualTo("deny");
        assertThat(auth(Map.of("clientid", "x")).get("result").asString()).isEqualTo("deny");
        // without the API key nobody learns anything
        client.post()
                .uri("/internal/v1/mqtt/auth")
                .bodyValue(Map.of("clientid", id, "username", id, "password", secret))
                .exchange()
                .expectStatus()
                .isUnauthorized();
        JsonNode acl = postJson(
                "/internal/v1/mqtt/acl",
                Map.of("username", id, "topic", "devices/OTHER/upload/response", "action", "subscribe"),
                headers -> headers.set("X-Api-Key", DevDefaults.API_KEY));
        assertThat(acl.get("result").asString()).isEqualTo("deny");
    }

    private JsonNode auth(Map<String, String> body) {
        return postJson("/internal/v1/mqtt/auth", body, headers -> headers.set("X-Api-Key", DevDefaults.API_KEY));
    }

    private void restartBroker() {
        stack().stopMqtt();
        stack().startMqtt();
        // ready again = connected and subscribed (the mqtt health component says both)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
        // subscribed again: a device's request is answered (a throwaway device proves it)
        Camera probe = camera(unique("PROBE"));
        probe.request(probe.sourceRequest("r-probe", "a.ts", 1, 1));
        probe.close();
    }
}
