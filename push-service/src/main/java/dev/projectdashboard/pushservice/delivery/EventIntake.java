package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventHandler;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.pushservice.webhook.Webhook;
import dev.projectdashboard.pushservice.webhook.WebhookRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Takes events from the event bus (a consumer group per stream: each event reaches one replica) and turns each into
 * one delivery per matching webhook. The entry is acknowledged only once its deliveries are stored; they are leased
 * to this replica and attempted at once, without waiting for the scheduler. An event the bus hands over again finds
 * its deliveries stored and adds none (source 003's batch push: one event to all its webhooks, in parallel).
 */
public class EventIntake implements EventHandler {

    private final WebhookRegistry registry;
    private final DeliveryStore store;
    private final DeliveryAttempts attempts;
    private final DeliveryProperties properties;
    private final Clock clock;

    public EventIntake(
            WebhookRegistry registry,
            DeliveryStore store,
            DeliveryAttempts attempts,
            DeliveryProperties properties,
            Clock clock) {
        this.registry = registry;
        this.store = store;
        this.attempts = attempts;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public Mono<Void> handle(StreamEntry entry) {
        CloudEvent<JsonNode> event = entry.event();
        if (event.type().startsWith("webhook.")) {
            // news of deliveries is never delivered: it would announce its own delivery, without end
            return Mono.empty();
        }
        return registry.subscribers(event.type(), event.subject()).flatMap(webhooks -> {
            if (webhooks.isEmpty()) {
                return Mono.empty();
            }
            Instant now = clock.instant();
            JsonNode data = event.data();
            JsonNode taskId = data == null ? null : data.get("task_id");
            PushEvent pushEvent = new PushEvent(
                    event.id(),
                    event.type(),
                    event.subject(),
                    taskId == null || taskId.isNull() ? null : taskId.asString(),
                    event.time() != null ? event.time() : now,
                    data);
            List<UUID> ids = webhooks.stream().map(Webhook::id).toList();
            // a paused endpoint's deliveries wait in the table, not leased, until its probe succeeds
            Set<UUID> paused = attempts.paused();
            return store.record(pushEvent, ids, paused, attempts.owner(), now, now.plus(properties.lease()))
                    .doOnNext(created ->
                            created.forEach(due -> attempts.attempt(due).subscribe()))
                    .then();
        });
    }
}
