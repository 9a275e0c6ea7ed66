package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventHandler;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import io.lettuce.core.Consumer;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * A member of a Redis consumer group: each entry of the stream is handled by exactly one member (at least once).
 *
 * <p>New entries come from XREADGROUP on a dedicated connection; entries left pending longer than
 * {@link ConsumerOptions#claimIdle()} (a crashed replica's, or ones whose handler failed) are taken over with
 * XAUTOCLAIM and handled again. An entry is acknowledged only after its handler completed; after
 * {@link ConsumerOptions#maxDeliveries()} failed deliveries it is copied to {@code events:dead} and acknowledged.
 * Handler errors never end the consumer; Redis errors are logged and retried with backoff.
 *
 * <p>Up to {@link ConsumerOptions#inFlight()} entries are handled concurrently, so handling order follows stream
 * order only with {@code inFlight} 1.
 *
 * <p>{@link #close()} stops reading and waits for the handlers in flight; {@link #dispose()} abandons them (their
 * entries stay pending and are claimed again).
 */
public final class GroupConsumer implements Disposable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GroupConsumer.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
    private static final int LAG_COUNT_CAP = 1000;

    private final RedisConnections connections;
    private final EventCodec codec;
    private final EventBusMetrics metrics;
    private final String stream;
    private final String group;
    private final String consumerName;
    private final ConsumerOptions options;
    private final EventHandler handler;
    private final long deadLetterMaxlen;

    private final Sinks.One<Boolean> stopRequested = Sinks.one();
    private final Sinks.Empty<Void> terminated = Sinks.empty();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean groupLost = new AtomicBoolean();
    private final AtomicBoolean released = new AtomicBoolean();
    private final Disposable.Composite subscriptions = Disposables.composite();
    private volatile String claimCursor = StreamIds.ZERO;
    private volatile EventBusMetrics.GroupGauges gauges;

    GroupConsumer(
            RedisConnections connections,
            EventCodec codec,
            EventBusMetrics metrics,
            String stream,
            String group,
            EventHandler handler,
            ConsumerOptions options,
            long deadLetterMaxlen) {
        this.connections = connections;
        this.codec = codec;
        this.metrics = metrics;
        this.stream = stream;
        this.group = group;
        this.handler = handler;
        this.options = options;
        this.deadLetterMaxlen = deadLetterMaxlen;
        this.consumerName = options.consumerName() != null ? options.consumerName() : generatedName();
    }

    public String stream() {
        return stream;
    }

    public String group() {
        return group;
    }

    public String consumerName() {
        return consumerName;
    }

    /** Starts reading; returns at once. */
    public GroupConsumer start() {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("consumer " + consumerName + " already started");
        }
        gauges = metrics.groupGauges(stream, group);
        // merge prefetch of one batch: at most one batch is read ahead of the handlers (and sits in our PEL)
        Flux<Delivery> deliveries = Flux.merge(options.batchSize(), newEntries(), reclaimedEntries())
                .takeUntilOther(stopRequested.asMono());
        subscriptions.add(deliveries
                .flatMap(this::processSafely, options.inFlight())
                .subscribe(
                        ignored -> {},
                        error -> {
                            // not expected: every step below recovers; logged so it is never silent
                            log.error("consumer {} of {}/{} stopped on an error", consumerName, stream, group, error);
                            terminated.tryEmitEmpty();
                        },
                        terminated::tryEmitEmpty));
        subscriptions.add(Flux.interval(options.gaugeInterval(), options.gaugeInterval())
                .onBackpressureDrop()
                .concatMap(tick -> refreshGauges(), 1)
                .subscribe());
        log.info(
                "consumer {} joined group {} on {} (batch {}, in flight {}, claim idle {}, max deliveries {})",
                consumerName,
                group,
                stream,
                options.batchSize(),
                options.inFlight(),
                options.claimIdle(),
                options.maxDeliveries());
        return this;
    }

    /** Stops reading, lets the handlers in flight finish (up to the handler timeout) and completes. */
    public Mono<Void> stop() {
        return Mono.defer(() -> {
            if (!started.get()) {
                return Mono.empty();
            }
            stopRequested.tryEmitValue(Boolean.TRUE);
            return terminated
                    .asMono()
                    .timeout(options.handlerTimeout().plus(connections.commandTimeout()))
                    .onErrorResume(e -> Mono.empty())
                    .doFinally(signal -> release());
        });
    }

    /** Blocking form of {@link #stop()}, for shutdown hooks; never call it on a Reactor thread. */
    @Override
    public void close() {
        stop().block();
    }

    /** Stops at once, cancelling handlers in flight; their entries stay pending and are claimed again later. */
    @Override
    public void dispose() {
        stopRequested.tryEmitValue(Boolean.TRUE);
        release();
        terminated.tryEmitEmpty();
    }

    @Override
    public boolean isDisposed() {
        return subscriptions.isDisposed();
    }

    private void release() {
        subscriptions.dispose();
        if (started.get() && released.compareAndSet(false, true)) {
            metrics.releaseGroupGauges(stream, group);
        }
    }

    // --- reading ------------------------------------------------------------------------------------------------

    private Flux<Delivery> newEntries() {
        Consumer<String> me = Consumer.from(group, consumerName);
        XReadArgs args = XReadArgs.Builder.count(options.batchSize()).block(options.blockTimeout());
        Duration readTimeout = options.blockTimeout().plus(connections.commandTimeout());
        // a fresh dedicated connection per (re)subscription: a read abandoned on timeout cannot block the next one
        return Flux.usingWhen(
                        connections.openDedicated(),
                        connection -> ensureGroup()
                                .thenMany(Mono.defer(() -> connection
                                                .reactive()
                                                .xreadgroup(me, args, XReadArgs.StreamOffset.lastConsumed(stream))
                                                .collectList()
                                                .timeout(readTimeout))
                                        .flatMapMany(Flux::fromIterable)
                                        .map(message -> new Delivery(message, 1))
                                        .repeat()),
                        connections::release)
                .retryWhen(retry("reading"));
    }

    private Mono<Void> ensureGroup() {
        return connections.commands().flatMap(redis -> {
            String startId = groupLost.getAndSet(false) ? "0" : options.groupStartId();
            return redis.xgroupCreate(
                            XReadArgs.StreamOffset.from(stream, startId), group, XGroupCreateArgs.Builder.mkstream())
                    .timeout(connections.commandTimeout())
                    .doOnNext(ok -> log.info("created consumer group {} on {} at {}", group, stream, startId))
                    .onErrorResume(
                            e -> e.getMessage() != null && e.getMessage().startsWith("BUSYGROUP"), e -> Mono.empty())
                    .then();
        });
    }

    private Flux<Delivery> reclaimedEntries() {
        return Flux.interval(options.claimInterval(), options.claimInterval())
                .onBackpressureDrop()
                .concatMap(tick -> claimBatch(), 1);
    }

    private Flux<Delivery> claimBatch() {
        Consumer<String> me = Consumer.from(group, consumerName);
        return connections
                .commands()
                .flatMapMany(redis -> redis.xautoclaim(
                                stream,
                                XAutoClaimArgs.Builder.xautoclaim(me, options.claimIdle(), claimCursor)
                                        .count(options.batchSize()))
                        .timeout(connections.commandTimeout())
                        .flatMapMany(claimed -> {
                            claimCursor = claimed.getId() == null ? StreamIds.ZERO : claimed.getId();
                            List<StreamMessage<String, String>> messages = claimed.getMessages();
                            if (messages.isEmpty()) {
                                return Flux.empty();
                            }
                            log.info(
                                    "consumer {} claimed {} entries of {}/{} idle for more than {}",
                                    consumerName,
                                    messages.size(),
                                    stream,
                                    group,
                                    options.claimIdle());
                            return Flux.fromIterable(messages)
                                    .concatMap(message -> deliveryCount(redis, me, message.getId())
                                            .map(count -> new Delivery(message, count)));
                        }))
                .onErrorResume(e -> {
                    noteGroupLoss(e);
                    log.warn("claiming idle entries of {}/{} failed: {}", stream, group, e.toString());
                    return Flux.empty();
                });
    }

    /** Delivery count of a just-claimed entry (the claim counted as a delivery). */
    private Mono<Long> deliveryCount(RedisReactiveCommands<String, String> redis, Consumer<String> me, String id) {
        return redis.xpending(stream, me, Range.create(id, id), Limit.from(1))
                .next()
                .map(pendingMessage -> pendingMessage.getRedeliveryCount())
                .timeout(connections.commandTimeout())
                // unknown count: assume one more than a first delivery, the entry is handled and counted again
                .defaultIfEmpty(2L)
                .onErrorReturn(2L);
    }

    // --- handling -----------------------------------------------------------------------------------------------

    /**
     * Handles one delivery off Lettuce's I/O thread (a handler's synchronous work must not stall the connection
     * that decodes Redis replies), and never lets anything end the consumer.
     */
    private Mono<Void> processSafely(Delivery delivery) {
        return Mono.defer(() -> process(delivery))
                .subscribeOn(Schedulers.parallel())
                .onErrorResume(e -> {
                    log.error(
                            "unexpected error on entry {} of {}/{}; it stays pending",
                            delivery.message().getId(),
                            stream,
                            group,
                            e);
                    return Mono.empty();
                });
    }

    private Mono<Void> process(Delivery delivery) {
        StreamMessage<String, String> message = delivery.message();
        String id = message.getId();
        Map<String, String> body = message.getBody();
        if (body == null || body.isEmpty()) {
            // an entry trimmed away while it was pending: nothing left to handle
            log.warn("entry {} of {} no longer exists; acknowledging it", id, stream);
            return ack(id);
        }
        String raw = body.get(Streams.EVENT_FIELD);
        CloudEvent<JsonNode> event;
        try {
            event = codec.decode(raw);
        } catch (EventCodec.EventCodecException e) {
            metrics.failed(stream, group);
            // retrying cannot make it readable
            return deadLetter(delivery, raw, e);
        }
        if (delivery.count() > options.maxDeliveries()) {
            // delivered that often without an ack or a recorded failure: it keeps killing its consumers
            return deadLetter(
                    delivery,
                    raw,
                    new IllegalStateException("delivered " + delivery.count()
                            + " times without being acknowledged (consumer crashed or timed out)"));
        }
        StreamEntry entry = new StreamEntry(stream, id, event, delivery.count());
        return Mono.defer(() -> handler.handle(entry))
                .timeout(options.handlerTimeout())
                .thenReturn(Boolean.TRUE)
                .onErrorResume(e -> failed(delivery, raw, e).thenReturn(Boolean.FALSE))
                .flatMap(handled ->
                        handled ? ack(id).doOnSuccess(done -> metrics.consumed(stream, group)) : Mono.empty())
                .then();
    }

    private Mono<Void> failed(Delivery delivery, String raw, Throwable error) {
        metrics.failed(stream, group);
        String id = delivery.message().getId();
        if (delivery.count() >= options.maxDeliveries()) {
            return deadLetter(delivery, raw, error);
        }
        log.warn(
                "handling entry {} of {}/{} failed (delivery {} of {}), retried after {}: {}",
                id,
                stream,
                group,
                delivery.count(),
                options.maxDeliveries(),
                options.claimIdle(),
                error.toString());
        return Mono.empty();
    }

    private Mono<Void> deadLetter(Delivery delivery, String raw, Throwable error) {
        String id = delivery.message().getId();
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("stream", stream);
        fields.put("id", id);
        fields.put("group", group);
        fields.put("consumer", consumerName);
        fields.put("deliveries", Long.toString(delivery.count()));
        fields.put("error", String.valueOf(error.getMessage() != null ? error.getMessage() : error.toString()));
        fields.put("dead_lettered_at", Instant.now().toString());
        fields.put(Streams.EVENT_FIELD, raw == null ? "" : raw);
        XAddArgs trim = XAddArgs.Builder.maxlen(deadLetterMaxlen).approximateTrimming();
        return connections
                .commands()
                .flatMap(redis -> redis.xadd(Streams.DEAD, trim, fields))
                .timeout(connections.commandTimeout())
                .flatMap(deadId -> {
                    log.warn(
                            "entry {} of {}/{} moved to {} as {} after {} deliveries: {}",
                            id,
                            stream,
                            group,
                            Streams.DEAD,
                            deadId,
                            delivery.count(),
                            fields.get("error"));
                    metrics.deadLettered(stream, group);
                    return ack(id);
                })
                .onErrorResume(e -> {
                    // left pending: claimed again later and dead-lettered then
                    log.warn("could not dead-letter entry {} of {}/{}: {}", id, stream, group, e.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> ack(String id) {
        return connections
                .commands()
                .flatMap(redis -> redis.xack(stream, group, id))
                .timeout(connections.commandTimeout())
                .onErrorResume(e -> {
                    // unacknowledged entries are claimed and handled again: at least once, never lost
                    log.warn("could not acknowledge entry {} of {}/{}: {}", id, stream, group, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    // --- gauges -------------------------------------------------------------------------------------------------

    private Mono<Void> refreshGauges() {
        return connections
                .commands()
                .flatMap(redis -> redis.xpending(stream, group)
                        .doOnNext(summary -> gauges.pending().set(summary.getCount()))
                        .then(groupLag(redis))
                        .doOnNext(gauges.lag()::set))
                .timeout(connections.commandTimeout())
                .onErrorResume(e -> {
                    log.debug("refreshing gauges of {}/{} failed: {}", stream, group, e.toString());
                    return Mono.empty();
                })
                .then();
    }

    /**
     * Redis 7 reports a group's lag in XINFO GROUPS; Redis 6.2 (the embedded one) does not, so there the entries
     * after the group's last-delivered-id are counted, up to {@value #LAG_COUNT_CAP}.
     */
    private Mono<Long> groupLag(RedisReactiveCommands<String, String> redis) {
        return redis.xinfoGroups(stream)
                .map(RedisReplies::asMap)
                .filter(info -> group.equals(info.get("name")))
                .next()
                .flatMap(info -> {
                    if (info.get("lag") instanceof Long reported) {
                        return Mono.just(reported);
                    }
                    Object lastDelivered = info.get("last-delivered-id");
                    if (lastDelivered == null) {
                        return Mono.empty();
                    }
                    return redis.xrange(
                                    stream,
                                    Range.from(
                                            Range.Boundary.excluding(lastDelivered.toString()),
                                            Range.Boundary.unbounded()),
                                    Limit.from(LAG_COUNT_CAP))
                            .count();
                });
    }

    // --- errors -------------------------------------------------------------------------------------------------

    private Retry retry(String what) {
        return Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF)
                .maxBackoff(MAX_BACKOFF)
                .transientErrors(true)
                .doBeforeRetry(signal -> {
                    noteGroupLoss(signal.failure());
                    log.warn(
                            "consumer {} {} {}/{} failed (attempt {}), retrying: {}",
                            consumerName,
                            what,
                            stream,
                            group,
                            signal.totalRetriesInARow() + 1,
                            signal.failure().toString());
                });
    }

    private void noteGroupLoss(Throwable error) {
        if (error.getMessage() != null && error.getMessage().startsWith("NOGROUP")) {
            // Redis lost the group (restarted empty, or the stream was deleted): everything in it now is new
            groupLost.set(true);
        }
    }

    private static String generatedName() {
        String host = System.getenv("HOSTNAME");
        String random = CloudEvent.newId().substring(0, 8);
        return (host == null || host.isBlank() ? "consumer" : host) + "-" + random;
    }

    private record Delivery(StreamMessage<String, String> message, long count) {}
}
