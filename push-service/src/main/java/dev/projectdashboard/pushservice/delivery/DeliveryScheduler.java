package dev.projectdashboard.pushservice.delivery;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Attempts what is due and nobody holds (docs/push-service.md, Durability): retries whose backoff ended, deliveries a
 * replica gave back, and those whose lease expired because their replica died. Each replica looks every
 * {@code poll-interval}; {@code FOR UPDATE SKIP LOCKED} leasing lets any number of them look at once, each delivery
 * going to one. A look starts the attempts it leases and does not wait for them (a slow endpoint never holds the next
 * look up); at most {@code concurrency} of its attempts are out at once, and it leases nothing for endpoints this
 * replica has paused or already queues deliveries for. Also keeps the dead-letter gauge and trims the push log.
 */
public class DeliveryScheduler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DeliveryScheduler.class);

    private static final Duration HOUSEKEEPING = Duration.ofSeconds(30);

    private final DeliveryStore store;
    private final PushLogStore logs;
    private final Function<DueDelivery, Mono<Void>> attempt;
    private final Supplier<Set<UUID>> unavailable;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final String owner;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile Disposable polling;
    private volatile Disposable housekeeping;

    /**
     * @param attempt attempts a leased delivery ({@link DeliveryAttempts#attempt}); completes when its outcome is stored
     * @param unavailable webhooks whose deliveries not to lease now ({@link DeliveryAttempts#unavailable()})
     * @param owner the replica name that leases ({@link DeliveryAttempts#owner()})
     */
    public DeliveryScheduler(
            DeliveryStore store,
            PushLogStore logs,
            Function<DueDelivery, Mono<Void>> attempt,
            Supplier<Set<UUID>> unavailable,
            String owner,
            DeliveryProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.store = store;
        this.logs = logs;
        this.attempt = attempt;
        this.unavailable = unavailable;
        this.owner = owner;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("push_dlq_size", deadLettered, AtomicLong::get)
                .description("Deliveries in the dead-letter queue")
                .register(meters);
    }

    /**
     * Leases what is due now and starts its attempts, batch after batch while batches come back full and fewer than
     * {@code concurrency} attempts are out (a backlog is drained at once, not one batch per poll); completes once they
     * are started, with how many there were.
     */
    public Mono<Long> runOnce() {
        return claimBatch()
                .expand(claimed -> claimed.full() ? claimBatch() : Mono.empty())
                .reduce(0L, (sum, claimed) -> sum + claimed.count());
    }

    /** Attempts this scheduler started that have not ended yet. */
    public int inFlight() {
        return inFlight.get();
    }

    private record Claimed(long count, boolean full) {}

    private Mono<Claimed> claimBatch() {
        return Mono.defer(() -> {
            int limit = Math.min(properties.claimBatch(), properties.concurrency() - inFlight.get());
            if (limit <= 0) {
                return Mono.just(new Claimed(0, false));
            }
            Instant now = clock.instant();
            return store.claimDue(owner, now, now.plus(properties.lease()), limit, unavailable.get())
                    .doOnNext(this::start)
                    .count()
                    .map(count -> new Claimed(count, count == limit));
        });
    }

    private void start(DueDelivery due) {
        inFlight.incrementAndGet();
        attempt.apply(due)
                .doFinally(signal -> inFlight.decrementAndGet())
                .subscribe(
                        done -> {},
                        error -> log.warn(
                                "Attempt of delivery {} failed: {}",
                                due.delivery().id(),
                                error.toString()));
    }

    @Override
    public void start() {
        polling = Flux.interval(properties.pollInterval())
                .onBackpressureDrop()
                .concatMap(
                        tick -> runOnce().onErrorResume(error -> {
                            log.warn("Looking for due deliveries failed: {}", error.toString());
                            return Mono.just(0L);
                        }),
                        0)
                .subscribe();
        housekeeping = Flux.interval(Duration.ZERO, HOUSEKEEPING)
                .onBackpressureDrop()
                .concatMap(
                        tick -> housekeeping().onErrorResume(error -> {
                            log.warn("Push housekeeping failed: {}", error.toString());
                            return Mono.empty();
                        }),
                        0)
                .subscribe();
    }

    private Mono<Void> housekeeping() {
        Instant before = clock.instant().minus(properties.logRetention());
        return store.countDead(null)
                .doOnNext(deadLettered::set)
                .then(logs.deleteOlderThan(before, 10_000))
                .doOnNext(deleted -> {
                    if (deleted > 0) {
                        log.info("Deleted {} push log rows older than {}", deleted, before);
                    }
                })
                .then();
    }

    @Override
    public void stop() {
        if (polling != null) {
            polling.dispose();
        }
        if (housekeeping != null) {
            housekeeping.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return polling != null && !polling.isDisposed();
    }
}
