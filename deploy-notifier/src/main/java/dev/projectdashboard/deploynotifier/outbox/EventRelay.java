package dev.projectdashboard.deploynotifier.outbox;

import dev.projectdashboard.deploynotifier.deployment.OutgoingEvent;
import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.Streams;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Puts stored events on {@code events:deployments}: right after the request that stored them, and again from a
 * background pass for any left unpublished (Redis was down and the caller did not retry). Each event is marked
 * published once Redis acknowledged it; one published twice keeps its id, so consumers can drop the repeat.
 */
public final class EventRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(EventRelay.class);
    private static final int RELAY_BATCH = 200;

    /** How often the ids of freshly published events are marked in one UPDATE. */
    static final Duration MARK_INTERVAL = Duration.ofMillis(25);

    /**
     * How long one marking UPDATE may take: a redelivery waits for the pending flush, and a database that stalls must
     * not hold it (or the shutdown) for good. Marks that time out are left to the relay, as failed ones are.
     */
    static final Duration MARK_TIMEOUT = Duration.ofSeconds(5);

    private final OutboxStore store;
    private final EventPublisher publisher;
    private final EventCodec codec;
    private final RelayProperties properties;
    private final Clock clock;
    private final Counter published;
    private final Counter relayed;
    private final Queue<Long> toMark = new ConcurrentLinkedQueue<>();
    /**
     * Rows the request path is publishing, or has published and not yet marked: neither the relay nor a redelivery
     * sends them meanwhile, or a request slower than {@code relay-after} (a job of many steps, a busy machine) would
     * see its first events on the stream twice.
     */
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    /** The latest flush, which a redelivery waits for: ids it took may not be marked yet. */
    private final AtomicReference<Mono<Void>> lastFlush = new AtomicReference<>(Mono.empty());

    private volatile Disposable running;
    private volatile Disposable marking;

    public EventRelay(
            OutboxStore store,
            EventPublisher publisher,
            EventCodec codec,
            RelayProperties properties,
            MeterRegistry meters,
            Clock clock) {
        this.store = store;
        this.publisher = publisher;
        this.codec = codec;
        this.properties = properties;
        this.clock = clock;
        this.published = Counter.builder("deploy.events.published")
                .description("deployment events put on events:deployments")
                .tag("path", "request")
                .register(meters);
        this.relayed = Counter.builder("deploy.events.published")
                .description("deployment events put on events:deployments")
                .tag("path", "relay")
                .register(meters);
    }

    /**
     * Publishes the events a new delivery just stored, in order, and marks them published in one statement; errors
     * (the caller answers 503) at the first that Redis does not take, leaving them all for the retry or the relay.
     * The rows are not locked, which would hold a transaction open across the publishing: they are {@link #inFlight}
     * instead, until marked or given up.
     */
    public Mono<Void> publishNew(List<OutgoingEvent> events, List<Long> outboxIds) {
        return Mono.fromRunnable(() -> inFlight.addAll(outboxIds))
                .thenMany(Flux.fromIterable(events))
                .concatMap(outgoing -> publisher.publish(Streams.DEPLOYMENTS, outgoing.event()))
                .doOnError(error -> inFlight.removeAll(outboxIds))
                .doOnCancel(() -> inFlight.removeAll(outboxIds))
                .then(Mono.fromRunnable(() -> {
                    // marked by the next flush, together with other requests' events: one UPDATE instead of one per
                    // webhook. Until then (and for good if the service dies first) a row looks unpublished and the
                    // relay sends it again after relay-after, with the same event id.
                    toMark.addAll(outboxIds);
                    published.increment(events.size());
                }));
    }

    /** Marks the events published since the last flush; the returned Mono is shared with anyone waiting for it. */
    Mono<Void> flushMarks() {
        List<Long> ids = new ArrayList<>();
        for (Long id = toMark.poll(); id != null; id = toMark.poll()) {
            ids.add(id);
        }
        Mono<Void> flush = store.markPublished(ids)
                .timeout(MARK_TIMEOUT)
                .onErrorResume(error -> {
                    log.warn(
                            "could not mark {} published events; the relay will send them again: {}",
                            ids.size(),
                            error.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> ids.forEach(inFlight::remove))
                .cache();
        lastFlush.set(flush);
        return flush;
    }

    /**
     * Publishes a delivery's unpublished events in order and marks them; errors (the caller answers 503) at the
     * first that Redis does not take, leaving all of them unpublished for the retry or the relay. Events the relay is
     * publishing at that moment are left to it, and so are those the first delivery's request is still publishing.
     */
    public Mono<Void> publish(String deliveryKey) {
        // marks first: a redelivery right behind the first delivery must not find its events "unpublished" only
        // because their marks are still waiting for the next flush
        return Mono.defer(lastFlush::get)
                .then(Mono.defer(this::flushMarks))
                .thenMany(store.inTransaction(store.lockPending(deliveryKey)
                        .filter(event -> !inFlight.contains(event.id()))
                        .concatMap(event -> publishOne(event).thenReturn(event))
                        .doOnNext(event -> published.increment())))
                .then();
    }

    private Mono<Void> publishOne(OutboxStore.PendingEvent event) {
        return Mono.defer(() -> {
                    CloudEvent<JsonNode> decoded = codec.decode(event.json());
                    return publisher.publish(Streams.DEPLOYMENTS, decoded);
                })
                .then(store.markPublished(event.id()));
    }

    /** One background pass: events older than the relay delay that are still unpublished. */
    Mono<Long> relayOnce() {
        return store.inTransaction(store.lockStale(clock.instant().minus(properties.relayAfter()), RELAY_BATCH)
                        .filter(event -> !inFlight.contains(event.id()))
                        .concatMap(event -> publishOne(event).thenReturn(event)))
                .count()
                .doOnNext(count -> {
                    if (count > 0) {
                        relayed.increment(count);
                        log.info("relayed {} deployment events that were stored but not yet published", count);
                    }
                });
    }

    @Override
    public void start() {
        marking = Flux.interval(MARK_INTERVAL)
                .onBackpressureDrop()
                .concatMap(tick -> flushMarks(), 1)
                .subscribe();
        running = Flux.interval(properties.relayInterval())
                .onBackpressureDrop()
                .concatMap(
                        tick -> relayOnce().onErrorResume(error -> {
                            log.warn(
                                    "relaying unpublished deployment events failed, next pass in {}: {}",
                                    properties.relayInterval(),
                                    error.getCause() == null ? error.toString() : error + " / " + error.getCause());
                            return Mono.empty();
                        }),
                        1)
                .subscribe();
    }

    @Override
    public void stop() {
        for (Disposable current : new Disposable[] {running, marking}) {
            if (current != null) {
                current.dispose();
            }
        }
        running = null;
        marking = null;
        try {
            // the last marks (shutdown thread, not an event loop)
            flushMarks().block(MARK_TIMEOUT.plusSeconds(1));
        } catch (RuntimeException e) {
            log.warn("could not mark the last published events; the relay will send them again: {}", e.toString());
        }
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
