package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Mosquitto fixture: Debian's broker with a password file and an ACL pattern file of the test's own. */
class MosquittoBrokerTests {

    private static final String ACL =
            """
            pattern write devices/%u/upload/request
            pattern read devices/%u/upload/response

            user observer
            topic read devices/#
            """;

    @BeforeAll
    static void mosquittoIsInstalled() {
        assumeThat(MosquittoBroker.available())
                .as("mosquitto is not installed (apt-get install mosquitto): the Mosquitto fixture tests are skipped")
                .isTrue();
    }

    @Test
    void aUserPublishesToItsOwnTopicOnlyAsTheAclPatternSays() throws Exception {
        try (MosquittoBroker broker =
                MosquittoBroker.start(Map.of("CAM_1", "secret-1", "CAM_2", "secret-2", "observer", "secret-o"), ACL)) {
            Mqtt5BlockingClient observer = connect(broker, "observer", "secret-o");
            Mqtt5BlockingClient device = connect(broker, "CAM_1", "secret-1");
            List<String> seen = new CopyOnWriteArrayList<>();
            try {
                observer.toAsync()
                        .subscribeWith()
                        .topicFilter("devices/#")
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .callback(publish -> seen.add(publish.getTopic() + " "
                                + StandardCharsets.UTF_8.decode(
                                        publish.getPayload().orElseThrow())))
                        .send()
                        .join();

                assertThat(publish(device, "devices/CAM_1/upload/request", "mine"))
                        .as(broker::log)
                        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
                assertThat(publish(device, "devices/CAM_2/upload/request", "impostor"))
                        .as(broker::log)
                        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
                assertThat(publish(device, "devices/CAM_1/upload/request", "after"))
                        .as(broker::log)
                        .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);

                await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("devices/CAM_1/upload/request after"));
                assertThat(seen)
                        .as(broker::log)
                        .containsExactly("devices/CAM_1/upload/request mine", "devices/CAM_1/upload/request after");
            } finally {
                device.disconnect();
                observer.disconnect();
            }
        }
    }

    @Test
    void refusesAnonymousClientsAndWrongPasswordsAndStopsOnClose() {
        MosquittoBroker broker = MosquittoBroker.start(Map.of("CAM_1", "secret-1"), ACL);
        try {
            assertThatThrownBy(() -> client(broker, "anonymous").connect())
                    .as(broker::log)
                    .isInstanceOf(Mqtt5ConnAckException.class);
            assertThatThrownBy(() -> connect(broker, "CAM_1", "wrong"))
                    .as(broker::log)
                    .isInstanceOf(Mqtt5ConnAckException.class);
        } finally {
            broker.close();
        }
        assertThat(Ports.isFree(broker.port())).isTrue();
        assertThat(broker.workDir()).doesNotExist();
    }

    private static Mqtt5BlockingClient client(MosquittoBroker broker, String identifier) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(identifier)
                .serverHost(broker.host())
                .serverPort(broker.port())
                .buildBlocking();
    }

    private static Mqtt5BlockingClient connect(MosquittoBroker broker, String username, String password) {
        Mqtt5BlockingClient client = client(broker, username);
        client.connectWith()
                .simpleAuth()
                .username(username)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        return client;
    }

    private static Mqtt5PubAckReasonCode publish(Mqtt5BlockingClient client, String topic, String text) {
        try {
            Mqtt5PublishResult result = client.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(text.getBytes(StandardCharsets.UTF_8))
                    .send();
            return ((Mqtt5PublishResult.Mqtt5Qos1Result) result).getPubAck().getReasonCode();
        } catch (Mqtt5PubAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
    }
}
