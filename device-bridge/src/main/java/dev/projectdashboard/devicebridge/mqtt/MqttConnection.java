package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;

/**
 * Connects to the broker when the application starts and disconnects cleanly when it stops. Start-up does not
 * wait for the broker: readiness (health component {@code mqtt}) says when the bridge is connected.
 */
public class MqttConnection implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MqttConnection.class);
    private static final Duration DISCONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final Mqtt5AsyncClient client;
    private final MqttProperties properties;
    private volatile boolean running;

    private final Runnable beforeConnect;

    MqttConnection(Mqtt5AsyncClient client, MqttProperties properties, Runnable beforeConnect) {
        this.beforeConnect = beforeConnect;
        this.client = client;
        this.properties = properties;
    }

    @Override
    public void start() {
        running = true;
        beforeConnect.run();
        client.connectWith()
                .cleanStart(true)
                .keepAlive((int) properties.keepAlive().toSeconds())
                .send()
                .whenComplete((connAck, error) -> {
                    if (error != null) {
                        // automatic reconnect keeps trying; the health indicator reports the state meanwhile
                        log.warn(
                                "MQTT broker {}:{} not reachable yet ({}); retrying",
                                properties.host(),
                                properties.port(),
                                error.toString());
                    } else {
                        log.info("Connected to MQTT broker {}:{}", properties.host(), properties.port());
                    }
                });
    }

    @Override
    public void stop() {
        running = false;
        if (client.getState().isConnectedOrReconnect()) {
            // runs on the shutdown thread, never on an event loop, so waiting here is fine
            Mono.fromFuture(client::disconnect)
                    .timeout(DISCONNECT_TIMEOUT)
                    .onErrorResume(error -> Mono.empty())
                    .block();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
