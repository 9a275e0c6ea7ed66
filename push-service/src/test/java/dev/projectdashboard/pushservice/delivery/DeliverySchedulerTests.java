package dev.projectdashboard.pushservice.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The scheduler's draining alone, with a store that hands out a backlog in batches. */
class DeliverySchedulerTests {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    private final DeliveryProperties properties = new DeliveryProperties(
            List.of(Duration.ofSeconds(10)),
            Duration.ofHours(1),
            Duration.ofMinutes(2),
            Duration.ofSeconds(1),
            3,
            16,
            32,
            5,
            Duration.ofSeconds(30),
            100,
            Duration.ofSeconds(20),
            Duration.ofDays(30),
            "test");

    @Test
    void aBacklogLargerThanOneBatchIsDrainedInOneLookNotOneBatchPerPoll() {
        DeliveryStore store = mock(DeliveryStore.class);
        List<DueDelivery> backlog = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            backlog.add(due());
        }
        AtomicInteger handedOut = new AtomicInteger();
        AtomicInteger claims = new AtomicInteger();
        when(store.claimDue(eq("me"), any(), any(), anyInt())).thenAnswer(call -> {
            claims.incrementAndGet();
            int limit = call.getArgument(3);
            int from = handedOut.getAndAdd(limit);
            return Flux.fromIterable(
                    backlog.subList(Math.min(from, backlog.size()), Math.min(from + limit, backlog.size())));
        });
        List<DueDelivery> attempted = new ArrayList<>();
        DeliveryScheduler scheduler = new DeliveryScheduler(
                store,
                mock(PushLogStore.class),
                due -> Mono.fromRunnable(() -> attempted.add(due)),
                "me",
                properties,
                new SimpleMeterRegistry(),
                Clock.fixed(NOW, ZoneOffset.UTC));

        StepVerifier.create(scheduler.runOnce()).expectNext(8L).verifyComplete();

        // batches of 3: 3, 3, 2 — the short one ends the look
        assertThat(claims).hasValue(3);
        assertThat(attempted).containsExactlyInAnyOrderElementsOf(backlog);
    }

    private static DueDelivery due() {
        UUID id = UUID.randomUUID();
        Delivery delivery = new Delivery(
                id,
                UUID.randomUUID(),
                "e-" + id,
                null,
                "task.completed",
                DeliveryStatus.PENDING,
                0,
                NOW,
                null,
                null,
                NOW,
                NOW,
                null,
                null);
        return new DueDelivery(delivery, new PushEvent("e-" + id, "task.completed", null, null, NOW, null));
    }
}
