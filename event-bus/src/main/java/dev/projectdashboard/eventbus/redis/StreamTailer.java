package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * Fan-out reading: every subscriber sees every entry of the streams (XREAD, no group), in stream order.
 *
 * <p>Each subscription holds its own connection and remembers the last id (and event id) it emitted per stream;
 * after a Redis error it reconnects with backoff and continues from there, so nothing still in the stream is missed.
 * When a stream no longer continues what was seen (Redis restarted without its data, stream deleted and
 * re-created, possibly with ids lower than the last one seen), the subscription notices it and reads the new stream
 * from its start instead of skipping entries until ids catch up.
 */
public final class StreamTailer {

    /** Start at the entries added after subscribing. */
    public static final String LATEST = "$";

    private static final Logger log = LoggerFactory.getLogger(StreamTailer.class);
    private static final Duration MIN_BACKOFF = Duration.ofMillis(100);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    private final RedisConnections connections;
    private final EventCodec codec;
    private final EventBusMetrics metrics;
    private final int batchSize;
    private final Duration blockTimeout;

    public StreamTailer(
            RedisConnections connections,
            EventCodec codec,
            EventBusMetrics metrics,
            int batchSize,
            Duration blockTimeout) {
        this.connections = connections;
        this.codec = codec;
        this.metrics = metrics;
        this.batchSize = batchSize;
        this.blockTimeout = blockTimeout;
    }

    /** Entries added to {@code streams} after subscribing. */
    public Flux<StreamEntry> tail(String... streams) {
        Map<String, String> from = new LinkedHashMap<>();
        for (String stream : streams) {
            from.put(stream, LATEST);
        }
        return tail(from);
    }

    /**
     * Entries after the given id of each stream: {@value #LATEST} for only new ones, {@code 0} for everything
     * retained, or the last id a previous subscription saw.
     */
    public Flux<StreamEntry> tail(Map<String, String> fromIds) {
        return tailBatches(fromIds).concatMapIterable(batch -> batch);
    }

    /**
     * The same entries as {@link #tail(Map)}, a list per read (up to the configured batch size, never empty), for
     * consumers that work in batches: the list is what one XREAD returned, so batches grow with the backlog and no
     * timer is needed to gather them. The position advances past a batch when it is handed on.
     */
    public Flux<List<StreamEntry>> tailBatches(Map<String, String> fromIds) {
        if (fromIds.isEmpty()) {
            return Flux.error(new IllegalArgumentException("no stream to tail"));
        }
        return Flux.defer(() -> {
            Map<String, String> lastIds = new ConcurrentHashMap<>(fromIds);
            Map<String, String> lastEventIds = new ConcurrentHashMap<>();
            AtomicBoolean recovering = new AtomicBoolean();
            AtomicBoolean reconnected = new AtomicBoolean();
            return Flux.usingWhen(
                            connections
                                    .openDedicated()
                                    .map(connection -> new Watched(
                                            connection,
                                            connections.onDisconnect(connection, () -> reconnected.set(true)))),
                            watched -> {
                                RedisReactiveCommands<String, String> redis =
                                        watched.connection().reactive();
                                return resolve(redis, lastIds, lastEventIds, recovering.getAndSet(false))
                                        .thenMany(readForever(redis, lastIds, lastEventIds, reconnected));
                            },
                            watched -> {
                                watched.unwatch().run();
                                return connections.release(watched.connection());
                            })
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, MIN_BACKOFF)
                            .maxBackoff(MAX_BACKOFF)
                            .transientErrors(true)
                            .doBeforeRetry(signal -> {
                                recovering.set(true);
                                log.warn(
                                        "tailing {} failed (attempt {}), resuming after {}: {}",
                                        lastIds.keySet(),
                                        signal.totalRetriesInARow() + 1,
                                        lastIds,
                                        signal.failure().toString());
                            }));
        });
    }

    /** A dedicated connection and what stops watching it for disconnects. */
    private record Watched(StatefulRedisConnection<String, String> connection, Runnable unwatch) {}

    private Flux<List<StreamEntry>> readForever(
            RedisReactiveCommands<String, String> redis,
            Map<String, String> lastIds,
            Map<String, String> lastEventIds,
            AtomicBoolean reconnected) {
        XReadArgs args = XReadArgs.Builder.count(batchSize).block(blockTimeout);
        Duration readTimeout = blockTimeout.plus(connections.commandTimeout());
        return Mono.defer(
                        () -> redis.xread(args, offsets(lastIds)).collectList().timeout(readTimeout))
                .flatMap(messages -> messages.isEmpty() || reconnected.getAndSet(false)
                        // an idle stream is the moment to notice a reset one cheaply; after Lettuce reconnected by
                        // itself (re-sending the read with our old position), a server that came back without the
                        // stream may hold new entries below that position: check before taking any, and read again
                        ? detectResets(redis, lastIds, lastEventIds).then(Mono.<List<StreamEntry>>empty())
                        // off Lettuce's I/O thread: subscribers' work must not stall the connection decoding replies
                        : Mono.fromCallable(() -> decode(messages, lastIds, lastEventIds))
                                .subscribeOn(Schedulers.parallel()))
                .filter(batch -> !batch.isEmpty())
                .repeat();
    }

    /** Decodes one read, skipping entries that are not events; advances the positions past all of it. */
    private List<StreamEntry> decode(
            List<StreamMessage<String, String>> messages,
            Map<String, String> lastIds,
            Map<String, String> lastEventIds) {
        List<StreamEntry> batch = new ArrayList<>(messages.size());
        for (StreamMessage<String, String> message : messages) {
            lastIds.put(message.getStream(), message.getId());
            String raw = message.getBody() == null ? null : message.getBody().get(Streams.EVENT_FIELD);
            try {
                CloudEvent<JsonNode> event = codec.decode(raw);
                lastEventIds.put(message.getStream(), event.id());
                metrics.consumed(message.getStream(), EventBusMetrics.TAIL_GROUP);
                batch.add(new StreamEntry(message.getStream(), message.getId(), event, 1));
            } catch (EventCodec.EventCodecException e) {
                lastEventIds.remove(message.getStream());
                metrics.failed(message.getStream(), EventBusMetrics.TAIL_GROUP);
                log.warn("skipping entry {} of {}: {}", message.getId(), message.getStream(), e.getMessage());
            }
        }
        return batch;
    }

    /** Turns {@value #LATEST} into the stream's current last id; after an error, checks for reset streams. */
    private Mono<Void> resolve(
            RedisReactiveCommands<String, String> redis,
            Map<String, String> lastIds,
            Map<String, String> lastEventIds,
            boolean recovering) {
        Mono<Void> latest = Flux.fromIterable(List.copyOf(lastIds.entrySet()))
                .filter(entry -> LATEST.equals(entry.getValue()))
                .concatMap(entry -> redis.xrevrange(entry.getKey(), Range.create("-", "+"), Limit.from(1))
                        .next()
                        .map(StreamMessage::getId)
                        .defaultIfEmpty(StreamIds.ZERO)
                        .timeout(connections.commandTimeout())
                        .doOnNext(id -> lastIds.put(entry.getKey(), id)))
                .then();
        return recovering ? latest.then(detectResets(redis, lastIds, lastEventIds)) : latest;
    }

    /**
     * A stream continues what this subscription saw when its newest entry at or before the last id seen is that very
     * entry (same id, same event id), or when it has no such entry but exists (all newer ones, the rest trimmed).
     * Anything else (an entry we never saw at or before our position, or no stream at all) means the stream was
     * reset, and it is read again from its start, which holds only entries not seen yet.
     */
    private Mono<Void> detectResets(
            RedisReactiveCommands<String, String> redis,
            Map<String, String> lastIds,
            Map<String, String> lastEventIds) {
        return Flux.fromIterable(List.copyOf(lastIds.entrySet()))
                .filter(entry -> !StreamIds.ZERO.equals(entry.getValue()) && !LATEST.equals(entry.getValue()))
                .concatMap(entry -> {
                    String stream = entry.getKey();
                    String lastId = entry.getValue();
                    return redis.xrevrange(stream, Range.create("-", lastId), Limit.from(1))
                            .next()
                            .map(newest -> continues(newest, lastId, lastEventIds.get(stream))
                                    ? ""
                                    : "found " + newest.getId() + " where " + lastId + " was seen")
                            .switchIfEmpty(Mono.defer(() -> redis.exists(stream)
                                    .map(count -> count > 0 ? "" : "it no longer exists, " + lastId + " was seen")))
                            .timeout(connections.commandTimeout())
                            .filter(reason -> !reason.isEmpty())
                            .doOnNext(reason -> {
                                log.warn("stream {} was reset ({}); reading it from the start", stream, reason);
                                lastIds.put(stream, StreamIds.ZERO);
                                lastEventIds.remove(stream);
                            });
                })
                .then();
    }

    private boolean continues(StreamMessage<String, String> newest, String lastId, String lastEventId) {
        if (!newest.getId().equals(lastId)) {
            return false;
        }
        if (lastEventId == null) {
            return true; // positioned by id only ("$" or a given id): the id is all there is to compare
        }
        String raw = newest.getBody() == null ? null : newest.getBody().get(Streams.EVENT_FIELD);
        try {
            return lastEventId.equals(codec.decode(raw).id());
        } catch (EventCodec.EventCodecException e) {
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private static XReadArgs.StreamOffset<String>[] offsets(Map<String, String> lastIds) {
        return lastIds.entrySet().stream()
                .map(entry -> XReadArgs.StreamOffset.from(entry.getKey(), entry.getValue()))
                .toArray(XReadArgs.StreamOffset[]::new);
    }
}
