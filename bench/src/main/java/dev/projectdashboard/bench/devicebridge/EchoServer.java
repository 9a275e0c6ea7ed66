package dev.projectdashboard.bench.devicebridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The broker reference: one MQTT 5 client on the shared subscription {@code $share/bench-echo/devices/+/echo/request}
 * that republishes every request unchanged on {@code devices/{id}/echo/response} (QoS 1 both ways), as device-bridge
 * subscribes and answers, minus everything device-bridge does in between.
 */
final class EchoServer implements AutoCloseable {

    static final String FILTER = "$share/bench-echo/devices/+/echo/request";

    private final Mqtt5AsyncClient client;

    EchoServer(String host, int port, MqttClientExecutorConfig executor, Duration within) throws Exception {
        client = MqttClient.builder()
                .useMqttVersion5()
                .identifier("bench-echo")
                .serverHost(host)
                .serverPort(port)
                .executorConfig(executor)
                .buildAsync();
        client.connectWith().cleanStart(true).send().get(within.toMillis(), TimeUnit.MILLISECONDS);
        var subAck = client.subscribeWith()
                .topicFilter(FILTER)
                .qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::echo)
                .send()
                .get(within.toMillis(), TimeUnit.MILLISECONDS);
        if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
            throw new IllegalStateException("echo subscription refused: " + subAck.getReasonCodes());
        }
    }

    private void echo(Mqtt5Publish request) {
        String deviceId = request.getTopic().getLevels().get(1);
        client.publishWith()
                .topic(Fleet.Kind.ECHO.answerTopic(deviceId))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(request.getPayloadAsBytes())
                .send();
    }

    @Override
    public void close() {
        client.disconnect()
                .orTimeout(10, TimeUnit.SECONDS)
                .exceptionally(e -> null)
                .join();
    }
}
