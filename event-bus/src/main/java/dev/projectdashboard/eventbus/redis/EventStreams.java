package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventHandler;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Creates group consumers and tailers sharing one set of connections, codec, metrics and defaults. Closing it stops
 * every consumer it created, letting their handlers in flight finish.
 */
public final class EventStreams implements AutoCloseable {

    private final RedisConnections connections;
    private final EventCodec codec;
    private final EventBusMetrics metrics;
    private final ConsumerOptions defaults;
    private final PublisherOptions publisherOptions;
    private final StreamTailer tailer;
    private final Set<GroupConsumer> consumers = ConcurrentHashMap.newKeySet();

    public EventStreams(
            RedisConnections connections,
            EventCodec codec,
            EventBusMetrics metrics,
            ConsumerOptions defaults,
            PublisherOptions publisherOptions) {
        this.connections = connections;
        this.codec = codec;
        this.metrics = metrics;
        this.defaults = defaults;
        this.publisherOptions = publisherOptions;
        this.tailer = new StreamTailer(connections, codec, metrics, defaults.batchSize(), defaults.blockTimeout());
    }

    /** The configured consumer defaults. */
    public ConsumerOptions defaults() {
        return defaults;
    }

    /** A member of {@code group} on {@code stream} with the default options; call {@link GroupConsumer#start()}. */
    public GroupConsumer groupConsumer(String stream, String group, EventHandler handler) {
        return groupConsumer(stream, group, handler, defaults);
    }

    public GroupConsumer groupConsumer(String stream, String group, EventHandler handler, ConsumerOptions options) {
        GroupConsumer consumer = new GroupConsumer(
                connections, codec, metrics, stream, group, handler, options, publisherOptions.maxlen(Streams.DEAD));
        consumers.add(consumer);
        return consumer;
    }

    /** Every entry added to {@code streams} after subscribing; see {@link StreamTailer}. */
    public Flux<StreamEntry> tail(String... streams) {
        return tailer.tail(streams);
    }

    /** Every entry after the given id of each stream; see {@link StreamTailer#tail(Map)}. */
    public Flux<StreamEntry> tail(Map<String, String> fromIds) {
        return tailer.tail(fromIds);
    }

    /** The same entries as {@link #tail(Map)}, one list per read; see {@link StreamTailer#tailBatches(Map)}. */
    public Flux<List<StreamEntry>> tailBatches(Map<String, String> fromIds) {
        return tailer.tailBatches(fromIds);
    }

    public StreamTailer tailer() {
        return tailer;
    }

    /** Stops every consumer created here, in parallel, waiting for their handlers in flight. */
    public Mono<Void> stopAll() {
        return Flux.fromIterable(Set.copyOf(consumers))
                .flatMap(GroupConsumer::stop)
                .then(Mono.fromRunnable(consumers::clear));
    }

    /** Blocking form of {@link #stopAll()}, for shutdown; never call it on a Reactor thread. */
    @Override
    public void close() {
        stopAll().block();
    }
}
