package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Health component {@code mqtt}: up while the bridge holds a connection to the broker. */
@Component("mqtt")
class MqttHealthIndicator implements ReactiveHealthIndicator {

    private final Mqtt5AsyncClient client;
    private final MqttProperties properties;

    MqttHealthIndicator(Mqtt5AsyncClient client, MqttProperties properties) {
        this.client = client;
        this.properties = properties;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            MqttClientState state = client.getState();
            Health.Builder health = state.isConnected() ? Health.up() : Health.down();
            return health.withDetail("broker", properties.host() + ":" + properties.port())
                    .withDetail("state", state.name())
                    .build();
        });
    }
}
