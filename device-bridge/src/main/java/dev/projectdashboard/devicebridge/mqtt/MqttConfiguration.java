package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.status.StatusReader;
import dev.projectdashboard.devicebridge.status.StatusUpdates;
import dev.projectdashboard.devicebridge.upload.RequestQueue;
import dev.projectdashboard.devicebridge.upload.UploadRequestReader;
import dev.projectdashboard.devicebridge.upload.UploadRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The bridge's one MQTT connection; HiveMQ's async API never blocks the caller's thread. */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    /** Set once the subscriptions exist; every (re)connect subscribes again through it. */
    private final AtomicReference<Runnable> onConnected = new AtomicReference<>(() -> {});

    private final AtomicReference<Runnable> onDisconnected = new AtomicReference<>(() -> {});

    @Bean
    Mqtt5AsyncClient mqttClient(MqttProperties properties) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(properties.clientId())
                .serverHost(properties.host())
                .serverPort(properties.port())
                .simpleAuth()
                .username(properties.username())
                .password(properties.password().getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                // reconnects after a lost connection and after a failed first attempt, with back-off
                .automaticReconnect()
                .initialDelay(500, TimeUnit.MILLISECONDS)
                .maxDelay(properties.reconnectMaxDelay().toMillis(), TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                // a clean session after a reconnect has no subscriptions: make them again, every time
                .addConnectedListener(context -> onConnected.get().run())
                .addDisconnectedListener(context -> onDisconnected.get().run())
                .buildAsync();
    }

    @Bean
    MqttConnection mqttConnection(Mqtt5AsyncClient mqttClient, MqttProperties properties) {
        return new MqttConnection(mqttClient, properties);
    }

    @Bean
    DeviceMessages deviceMessages(
            Mqtt5AsyncClient mqttClient, MqttProperties properties, DeviceMessages.Handlers handlers) {
        DeviceMessages messages = new DeviceMessages(mqttClient, properties, handlers);
        onConnected.set(messages::subscribe);
        onDisconnected.set(messages::unsubscribed);
        return messages;
    }

    @Bean
    DeviceMessages.Handlers deviceMessageHandlers(
            UploadRequestReader requestReader,
            UploadRequests requests,
            RequestQueue queue,
            StatusReader statusReader,
            StatusUpdates statusUpdates,
            JsonMapper json,
            MeterRegistry meters) {
        return new DeviceMessages.Handlers(requestReader, requests, queue, statusReader, statusUpdates, json, meters);
    }

    @Bean
    BrokerAccess.BridgeLogin bridgeLogin(MqttProperties properties) {
        return new BrokerAccess.BridgeLogin(properties.username(), properties.password(), properties.shareGroup());
    }
}
