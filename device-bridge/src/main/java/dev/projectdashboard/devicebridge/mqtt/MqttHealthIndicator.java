package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.function.BooleanSupplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Health component {@code mqtt}: up while the bridge holds a connection to the broker and its device subscriptions
 * are granted, so that a ready replica is one that receives requests.
 */
@Component("mqtt")
class MqttHealthIndicator implements ReactiveHealthIndicator {

    private final Mqtt5AsyncClient client;
    private final MqttProperties properties;
    private final BooleanSupplier subscribed;

    @Autowired
    MqttHealthIndicator(Mqtt5AsyncClient client, MqttProperties properties, DeviceMessages messages) {
        this(client, properties, messages::subscribed);
    }

    MqttHealthIndicator(Mqtt5AsyncClient client, MqttProperties properties, BooleanSupplier subscribed) {
        this.client = client;
        this.properties = properties;
        this.subscribed = subscribed;
    }

    @Override
    public Mono<Health> health() {
        return Mono.fromSupplier(() -> {
            MqttClientState state = client.getState();
            boolean subscriptions = subscribed.getAsBoolean();
            Health.Builder health = state.isConnected() && subscriptions ? Health.up() : Health.down();
            return health.withDetail("broker", properties.host() + ":" + properties.port())
                    .withDetail("state", state.name())
                    .withDetail("subscribed", subscriptions)
                    .build();
        });
    }
}
