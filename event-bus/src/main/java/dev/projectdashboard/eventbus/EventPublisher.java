package dev.projectdashboard.eventbus;

import reactor.core.publisher.Mono;

/** Appends events to their Redis stream. */
public interface EventPublisher {

    /**
     * Appends the event to {@code stream}.
     *
     * @return the entry id; errors (never completes empty) when Redis is unreachable or does not answer in time, so
     *     the caller can answer 503 instead of dropping the event
     */
    Mono<String> publish(String stream, CloudEvent<?> event);

    /** Appends the event to the stream its type belongs to (docs/contracts.md, "Events"); errors for a type outside the catalogue. */
    default Mono<String> publish(CloudEvent<?> event) {
        return Mono.defer(() -> EventType.of(event.type())
                .map(type -> publish(type.stream(), event))
                .orElseGet(() -> Mono.error(new IllegalArgumentException(
                        "event type '" + event.type() + "' has no stream; use publish(stream, event)"))));
    }
}
