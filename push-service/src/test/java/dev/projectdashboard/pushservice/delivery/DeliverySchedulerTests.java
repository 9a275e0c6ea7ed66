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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** The scheduler's leasing alone, with a store that hands out a backlog in batches. */
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
            1000,
            Duration.ofSeconds(10),
            5,
            Duration.ofSeconds(30),
            100,
            Duration.ofSeconds(20),
            Duration.ofDays(30),
            "test");

    private final DeliveryStore store = mock(DeliveryStore.class);

    /** What the store handed out, and the limits and skipped webhooks each claim asked with. */
    private final List<DueDelivery> backlog = new ArrayList<>();

    private final List<Integer> limits = new ArrayList<>();

    private final List<Set<UUID>> skips = new ArrayList<>();

    private final List<DueDelivery> attempted = new ArrayList<>();

    private void backlogOf(int size) {
        for (int i = 0; i < size; i++) {
            backlog.add(due());
        }
        AtomicInteger handedOut = new AtomicInteger();
        when(store.claimDue(eq("me"), any(), any(), anyInt(), any())).thenAnswer(call -> {
            int limit = call.getArgument(3);
            limits.add(limit);
            skips.add(call.getArgument(4));
            int from = handedOut.getAndAdd(limit);
            return Flux.fromIterable(
                    backlog.subList(Math.min(from, backlog.size()), Math.min(from + limit, backlog.size())));
        });
    }

    private DeliveryScheduler scheduler(Function<DueDelivery, Mono<Void>> attempt, Set<UUID> unavailable) {
        return new DeliveryScheduler(
                store,
                mock(PushLogStore.class),
                due -> {
                    attempted.add(due);
                    return attempt.apply(due);
                },
                () -> unavailable,
                "me",
                properties,
                new SimpleMeterRegistry(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void aBacklogLargerThanOneBatchIsDrainedInOneLookNotOneBatchPerPoll() {
        backlogOf(8);
        DeliveryScheduler scheduler = scheduler(due -> Mono.empty(), Set.of());

        StepVerifier.create(scheduler.runOnce()).expectNext(8L).verifyComplete();

        // batches of 3: 3, 3, 2 — the short one ends the look
        assertThat(limits).containsExactly(3, 3, 3);
        assertThat(attempted).containsExactlyInAnyOrderElementsOf(backlog);
        assertThat(scheduler.inFlight()).isZero();
    }

    @Test
    void attemptsThatHangHoldNoLookUpButNoMoreThanTheConcurrencyAreOutAtOnce() {
        backlogOf(40);
        Sinks.Empty<Void> release = Sinks.empty();
        DeliveryScheduler scheduler = scheduler(due -> release.asMono(), Set.of());

        // the look ends while its attempts hang; 16 (the concurrency) are out, the last claim asked for only 1
        StepVerifier.create(scheduler.runOnce()).expectNext(16L).verifyComplete();
        assertThat(limits).containsExactly(3, 3, 3, 3, 3, 1);
        assertThat(scheduler.inFlight()).isEqualTo(16);
        // no room: the next look leases nothing
        StepVerifier.create(scheduler.runOnce()).expectNext(0L).verifyComplete();
        assertThat(limits).hasSize(6);

        release.tryEmitEmpty();
        assertThat(scheduler.inFlight()).isZero();
        // attempts that end at once free their place at once: the rest of the backlog goes in this look
        StepVerifier.create(scheduler.runOnce()).expectNext(24L).verifyComplete();
        assertThat(attempted).hasSize(40);
    }

    @Test
    void endpointsTheAttemptsCallUnavailableAreLeftOutOfTheClaim() {
        backlogOf(1);
        UUID paused = UUID.randomUUID();
        DeliveryScheduler scheduler = scheduler(due -> Mono.empty(), Set.of(paused));

        StepVerifier.create(scheduler.runOnce()).expectNext(1L).verifyComplete();

        assertThat(skips).containsExactly(Set.of(paused));
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
