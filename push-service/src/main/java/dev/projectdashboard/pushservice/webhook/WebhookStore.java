package dev.projectdashboard.pushservice.webhook;

import java.util.UUID;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where webhook registrations are kept, secrets encrypted. */
public interface WebhookStore {

    Mono<Webhook> insert(Webhook webhook);

    /** Replaces the registration with {@code webhook.id()}; empty when there is none. */
    Mono<Webhook> update(Webhook webhook);

    Mono<Webhook> find(UUID id);

    /** Newest first. */
    Flux<Webhook> list(int limit, long offset);

    Mono<Long> count();

    /** {@code true} when it existed. */
    Mono<Boolean> delete(UUID id);

    /** Every enabled registration. */
    Flux<Webhook> enabled();

    /** Disables the registration, recording why (an endpoint that answered 410 Gone). */
    Mono<Void> disable(UUID id, String reason);
}
