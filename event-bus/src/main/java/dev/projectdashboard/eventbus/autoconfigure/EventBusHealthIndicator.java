package dev.projectdashboard.eventbus.autoconfigure;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/** Health {@code eventBus}: UP when Redis answers PING within the command timeout. */
public final class EventBusHealthIndicator implements ReactiveHealthIndicator {

    private final RedisConnections connections;

    public EventBusHealthIndicator(RedisConnections connections) {
        this.connections = connections;
    }

    @Override
    public Mono<Health> health() {
        return connections
                .commands()
                .flatMap(redis -> redis.ping())
                .timeout(connections.commandTimeout())
                .map(pong ->
                        Health.up().withDetail("redis", connections.describe()).build())
                .switchIfEmpty(Mono.fromSupplier(() -> Health.down()
                        .withDetail("redis", connections.describe())
                        .build()))
                .onErrorResume(e -> Mono.just(Health.down()
                        .withDetail("redis", connections.describe())
                        .withDetail("error", e.toString())
                        .build()));
    }
}
