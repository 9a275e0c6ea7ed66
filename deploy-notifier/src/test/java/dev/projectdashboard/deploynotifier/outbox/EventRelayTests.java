package dev.projectdashboard.deploynotifier.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.projectdashboard.deploynotifier.deployment.OutgoingEvent;
import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/**
 * The relay and a redelivery leave alone the rows a request is still publishing, however long that takes, and take
 * them once the request gave up. The store and Redis are mocks: what is checked is which path sends what.
 */
class EventRelayTests {

    private final EventCodec codec = new EventCodec();
    private final OutboxStore store = mock(OutboxStore.class);
    private final EventPublisher publisher = mock(EventPublisher.class);
    private final CloudEvent<?> event = CloudEvent.of("deployment.log", "/deploy-notifier", "deployment:d", Map.of());
    private final OutboxStore.PendingEvent row = new OutboxStore.PendingEvent(1, event.id(), codec.encode(event));
    private EventRelay relay;

    @BeforeEach
    void relay() {
        when(store.inTransaction(any())).thenAnswer(call -> call.getArgument(0));
        when(store.lockStale(any(), anyInt())).thenReturn(Flux.just(row));
        when(store.lockPending("key")).thenReturn(Flux.just(row));
        when(store.markPublished(1L)).thenReturn(Mono.empty());
        when(store.markPublished(anyList())).thenReturn(Mono.empty());
        relay = new EventRelay(
                store,
                publisher,
                codec,
                new RelayProperties(Duration.ofSeconds(10), Duration.ZERO),
                new SimpleMeterRegistry(),
                Clock.systemUTC());
    }

    @Test
    void aRowTheRequestIsStillPublishingIsNotSentAgainByTheRelayOrARedelivery() {
        Sinks.One<String> redis = Sinks.one();
        when(publisher.publish(any(), any())).thenReturn(redis.asMono(), Mono.just("1-0"));
        Disposable request = relay.publishNew(List.of(new OutgoingEvent(event, row.json())), List.of(1L))
                .subscribe();

        StepVerifier.create(relay.relayOnce()).expectNext(0L).verifyComplete();
        StepVerifier.create(relay.publish("key")).verifyComplete();
        verify(publisher, times(1)).publish(any(), any());

        redis.tryEmitValue("1-0");
        assertThat(request.isDisposed()).isTrue();
        StepVerifier.create(relay.flushMarks()).verifyComplete();
        verify(store).markPublished(List.of(1L));
    }

    @Test
    void aRowTheRequestCouldNotPublishIsTheRelays() {
        when(publisher.publish(any(), any()))
                .thenReturn(Mono.error(new IllegalStateException("Redis is down")), Mono.just("1-0"));

        StepVerifier.create(relay.publishNew(List.of(new OutgoingEvent(event, row.json())), List.of(1L)))
                .verifyError(IllegalStateException.class);

        StepVerifier.create(relay.relayOnce()).expectNext(1L).verifyComplete();
        verify(publisher, times(2)).publish(any(), any());
        verify(store).markPublished(1L);
    }
}
