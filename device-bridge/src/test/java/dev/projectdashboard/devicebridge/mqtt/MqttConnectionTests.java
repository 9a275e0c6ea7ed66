package dev.projectdashboard.devicebridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.health.contributor.Status;
import reactor.test.StepVerifier;

/** The bridge keeps trying a broker that is not there, and says so in its health, without blocking anyone. */
class MqttConnectionTests {

    @Test
    void keepsReconnectingToAnAbsentBrokerAndReportsDown() throws IOException {
        MqttProperties properties = new MqttProperties(
                "127.0.0.1",
                unusedPort(),
                "bridge-test",
                "device-bridge",
                "secret",
                "device-bridge",
                Duration.ofSeconds(30),
                Duration.ofSeconds(1));
        MqttConfiguration configuration = new MqttConfiguration();
        Mqtt5AsyncClient client = configuration.mqttClient(properties);
        MqttConnection connection = new MqttConnection(client, properties, () -> {});

        connection.start();
        try {
            // the first attempt failed, yet the client is still trying (automatic reconnect)
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> client.getState() == MqttClientState.DISCONNECTED_RECONNECT
                            || client.getState() == MqttClientState.CONNECTING_RECONNECT);
            StepVerifier.create(new MqttHealthIndicator(client, properties, () -> true).health())
                    .assertNext(health -> {
                        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                        assertThat(health.getDetails()).containsKey("state");
                    })
                    .verifyComplete();
        } finally {
            connection.stop();
        }
    }

    private static int unusedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
