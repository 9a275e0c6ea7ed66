package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The bridge's one MQTT connection; HiveMQ's async API never blocks the caller's thread. */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    @Bean
    Mqtt5AsyncClient mqttClient(MqttProperties properties) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(properties.clientId())
                .serverHost(properties.host())
                .serverPort(properties.port())
                // reconnects after a lost connection and after a failed first attempt, with back-off
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(properties.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .buildAsync();
    }

    @Bean
    MqttConnection mqttConnection(Mqtt5AsyncClient mqttClient, MqttProperties properties) {
        return new MqttConnection(mqttClient, properties);
    }
}
