package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.status.StatusReader;
import dev.projectdashboard.devicebridge.status.StatusUpdates;
import dev.projectdashboard.devicebridge.upload.RequestQueue;
import dev.projectdashboard.devicebridge.upload.UploadRequestReader;
import dev.projectdashboard.devicebridge.upload.UploadRequests;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** The bridge's one MQTT connection; HiveMQ's async API never blocks the caller's thread. */
@Configuration(proxyBeanMethods = false)
class MqttConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MqttConfiguration.class);

    /** Set once the subscriptions exist; every (re)connect subscribes again through it. */
    private final AtomicReference<Runnable> onConnected = new AtomicReference<>(() -> {});

    private final AtomicReference<Runnable> onDisconnected = new AtomicReference<>(() -> {});

    /** Whether the application wants the connection (false once it stopped): no reconnect, and none kept, after. */
    private final AtomicReference<BooleanSupplier> wanted = new AtomicReference<>(() -> true);

    private final AtomicReference<Runnable> disconnectLater = new AtomicReference<>(() -> {});

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
                // a clean session after a reconnect has no subscriptions: make them again, every time
                .addConnectedListener(context -> {
                    if (wanted.get().getAsBoolean()) {
                        onConnected.get().run();
                    } else {
                        // a reconnect that was already under way when the application stopped
                        disconnectLater.get().run();
                    }
                })
                .addDisconnectedListener(context -> {
                    onDisconnected.get().run();
                    // reconnects after a lost connection and after a failed first attempt, with jittered exponential
                    // back-off, as long as the application wants the connection (HiveMQ's automatic reconnect would
                    // go on after a stop that came while it was reconnecting)
                    if (wanted.get().getAsBoolean() && context.getSource() != MqttDisconnectSource.USER) {
                        long delay = backOff(context.getReconnector().getAttempts(), properties);
                        log.warn(
                                "MQTT connection to {}:{} lost or refused ({}); reconnecting in {} ms",
                                properties.host(),
                                properties.port(),
                                context.getCause().toString(),
                                delay);
                        context.getReconnector().reconnect(true).delay(delay, TimeUnit.MILLISECONDS);
                    }
                })
                .buildAsync();
    }

    @Bean
    MqttConnection mqttConnection(Mqtt5AsyncClient mqttClient, MqttProperties properties, DeviceMessages messages) {
        MqttConnection connection = new MqttConnection(mqttClient, properties, messages::listen);
        wanted.set(connection::isRunning);
        disconnectLater.set(() -> mqttClient.disconnect());
        return connection;
    }

    /** 500 ms doubling per attempt up to {@code reconnect-max-delay}, each with up to a quarter of jitter. */
    static long backOff(int attempts, MqttProperties properties) {
        long max = properties.reconnectMaxDelay().toMillis();
        long delay = Math.min(max, 500L << Math.min(attempts, 20));
        return delay - ThreadLocalRandom.current().nextLong(delay / 4 + 1);
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
