package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.EventRouter;
import dev.projectdashboard.realtimeservice.cluster.RedisScript;
import dev.projectdashboard.realtimeservice.history.Epochs;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.history.RedisHistory;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * Gives every domain event its place in each of its channels, exactly once for the whole cluster: every replica
 * tails every domain stream and runs {@code publish.lua} for each batch of events; the first call for an event id
 * assigns the offsets, appends to the channels' histories and to {@code rt:fanout}, later calls (the other replicas)
 * only read that answer. No leader to elect and nothing lost while at least one replica runs.
 *
 * <p>Events are sequenced in stream order, up to {@link #BATCH} per Lua call: up to {@link #PIPELINE} calls are in
 * flight at once, issued in the order read on one connection, and Redis runs them in that order, so a channel fed by
 * several streams still gets its publications in the order this replica read them, and offsets grow in fan-out
 * order.
 */
public final class Sequencer {

    /** {@code rt:seqpos:{stream}}: the newest entry of a domain stream that a replica sequenced. */
    public static final String POSITION_PREFIX = "rt:seqpos:";

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);

    private final EventStreams streams;
    private final RedisConnections connections;
    private final EventRouter router;
    private final PublicationCodec codec;
    private final FanoutEntries entries;
    private final HubProperties properties;
    private final RedisScript publish;
    private final List<String> sources;
    private final Scheduler dispatch = Schedulers.newSingle("rt-sequencer", true);
    private volatile Disposable running;

    /** One channel position an event got. */
    public record Position(String channel, long offset, String epoch) {}

    /**
     * @param duplicate another call (another replica) sequenced the event first; the positions are its
     * @param fanoutId the {@code rt:fanout} entry id
     */
    public record Result(boolean duplicate, String fanoutId, List<Position> positions) {}

    public Sequencer(
            EventStreams streams,
            RedisConnections connections,
            EventRouter router,
            PublicationCodec codec,
            HubProperties properties) {
        this(streams, connections, router, codec, properties, Streams.DOMAIN);
    }

    /** @param sources the streams to sequence (tests use their own) */
    public Sequencer(
            EventStreams streams,
            RedisConnections connections,
            EventRouter router,
            PublicationCodec codec,
            HubProperties properties,
            List<String> sources) {
        this.streams = streams;
        this.connections = connections;
        this.router = router;
        this.codec = codec;
        this.entries = new FanoutEntries(codec.mapper());
        this.properties = properties;
        this.publish = RedisScript.load("publish", connections);
        this.sources = List.copyOf(sources);
    }

    /**
     * Events sequenced by one Lua call at most: one call per event spent most of Redis's time on script dispatch
     * and per-event EXPIREs, holding the realtime benchmark near 5,000-8,400 events/s.
     */
    static final int BATCH = 64;

    /**
     * How long a batch waits to fill: the stream tailer hands entries over one by one, so a short wait gathers what
     * one read returned without adding noticeable latency when traffic is light.
     */
    static final Duration BATCH_WAIT = Duration.ofMillis(1);

    /** Batches being sequenced at once (each one Lua call), issued in stream order on one connection. */
    static final int PIPELINE = 32;

    /**
     * Starts tailing where the cluster left off (the last entry any replica sequenced, kept in {@code
     * rt:seqpos:{stream}}), or after the entries the streams hold now when none did; completes once that position
     * is fixed, so an event added after it is never missed. Resuming matters when every replica was down at once
     * (a full redeploy): the events added meanwhile are still sequenced, in order.
     */
    public Mono<Void> start() {
        if (running != null) {
            return Mono.empty(); // a retried start: running already
        }
        return warmUp().then(StreamPositions.resume(connections, sources))
                .doOnNext(from ->
                        running = inOrder(streams.tail(from)).subscribe(null, e -> log.error("sequencer stopped", e)))
                .then();
    }

    /**
     * Sequences entries in batches, pipelined, in their order (what {@link #start()} runs on the tailed streams).
     *
     * @return each batch's results, in order
     */
    Flux<List<Result>> inOrder(Flux<StreamEntry> entries) {
        return entries
                // fair backpressure: a batch is only cut when the pipeline can take it, so nothing overflows while
                // Redis is slow or a batch is retried
                .bufferTimeout(BATCH, BATCH_WAIT, true)
                // every call is issued from this one thread: Netty queues writes from outside its event loop in
                // order, but runs a write made on the event loop (a batch started when an earlier one completed)
                // at once, ahead of the queued ones, and Redis would sequence the later batch first
                .publishOn(dispatch, 1)
                // pipelined: calls are issued in stream order on one connection and Redis runs them in that
                // order, so offsets follow the stream
                .flatMapSequential(this::sequenceWithRetry, PIPELINE, 1);
    }

    /**
     * Has Redis cache the script before calls are pipelined: when several pipelined EVALSHAs meet an unknown
     * script, each is re-sent as EVAL after its NOSCRIPT answer, and a later batch could run before an earlier
     * one if another replica loaded the script in between, breaking stream order.
     */
    private Mono<Void> warmUp() {
        List<String> args = List.of(
                Integer.toString(properties.historySize()),
                "0",
                "0",
                "",
                "0",
                Long.toString(properties.fanoutMaxlen()),
                "0");
        return publish.multi(List.of(FanoutEntries.STREAM), args).then();
    }

    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        dispatch.dispose();
    }

    private Mono<List<Result>> sequenceWithRetry(List<StreamEntry> batch) {
        // an event must not be skipped because Redis blinked: retry the whole batch until it is sequenced (here or
        // elsewhere); the events a failed attempt did sequence are answered from their dedupe keys next time
        return sequence(batch)
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50))
                        .maxBackoff(Duration.ofSeconds(2))
                        .doBeforeRetry(signal -> log.warn(
                                "sequencing {} events from {} failed, retrying: {}",
                                batch.size(),
                                batch.get(0).event().id(),
                                signal.failure().toString())))
                .onErrorResume(e -> Mono.empty());
    }

    /** Sequences one event (or reads how another replica did); empty when it belongs to no channel. */
    public Mono<Result> sequence(CloudEvent<JsonNode> event) {
        return sequence("", "", event);
    }

    /**
     * Sequences one event read from a domain stream, moving the cluster's position in that stream past it.
     *
     * @param stream the domain stream ({@code ""} for none)
     * @param entryId its entry id there
     */
    public Mono<Result> sequence(String stream, String entryId, CloudEvent<JsonNode> event) {
        return sequence(List.of(new StreamEntry(stream, entryId, event, 1)))
                .flatMap(results -> Mono.justOrEmpty(results.isEmpty() ? null : results.get(0)));
    }

    /**
     * Sequences a batch of events read from the domain streams in one atomic Lua call, in the given order, moving
     * the cluster's position in each stream past them. Events of no channel are left out (no call when none has
     * one); an event another replica sequenced already keeps its first answer.
     *
     * @return one result per event of some channel, in the batch's order
     */
    public Mono<List<Result>> sequence(List<StreamEntry> batch) {
        List<String> keys = new ArrayList<>(1 + 4 * batch.size());
        keys.add(FanoutEntries.STREAM);
        List<String> args = new ArrayList<>(7 + 8 * batch.size());
        args.add(Integer.toString(properties.historySize()));
        args.add(Long.toString(properties.historyTtl().toSeconds()));
        args.add(Long.toString(properties.historyMetaTtl().toSeconds()));
        args.add(Epochs.next());
        args.add(Long.toString(properties.dedupeTtl().toSeconds()));
        args.add(Long.toString(properties.fanoutMaxlen()));
        args.add(""); // the number of events, known below
        int count = 0;
        for (StreamEntry entry : batch) {
            CloudEvent<JsonNode> event = entry.event();
            List<ChannelName> channels = router.channels(event);
            if (channels.isEmpty()) {
                continue;
            }
            count++;
            String publication = codec.encode(event.type(), event.id(), event.time(), event.data());
            String[] headAndTail = entries.publicationHeadAndTail(event.id(), publication);
            keys.add("rt:seq:" + event.id());
            keys.add(POSITION_PREFIX + entry.stream());
            args.add(publication);
            args.add(headAndTail[0]);
            args.add(headAndTail[1]);
            args.add(entry.id());
            args.add(Integer.toString(channels.size()));
            for (ChannelName channel : channels) {
                keys.add(RedisHistory.META_PREFIX + channel);
                keys.add(RedisHistory.HISTORY_PREFIX + channel);
                args.add(channel.toString());
            }
        }
        if (count == 0) {
            return Mono.just(List.of());
        }
        args.set(6, Integer.toString(count));
        return publish.multi(keys, args).map(replies -> {
            List<Result> results = new ArrayList<>(replies.size());
            for (Object reply : replies) {
                @SuppressWarnings("unchecked")
                List<Object> one = (List<Object>) reply;
                results.add(result(one));
            }
            return results;
        });
    }

    private static Result result(List<Object> reply) {
        List<Position> positions = new ArrayList<>();
        for (int i = 2; i + 2 < reply.size(); i += 3) {
            positions.add(new Position((String) reply.get(i), number(reply.get(i + 1)), (String) reply.get(i + 2)));
        }
        return new Result(number(reply.get(0)) == 1, (String) reply.get(1), positions);
    }

    // a cached (duplicate) answer went through cjson, which may turn integers into floats
    private static long number(Object value) {
        return value instanceof Number n ? n.longValue() : Long.parseLong(value.toString());
    }

    /** Where tailing starts. */
    static final class StreamPositions {

        private StreamPositions() {}

        /** After the cluster's sequencing position in each stream, or its latest entry when there is none. */
        static Mono<Map<String, String>> resume(RedisConnections connections, List<String> streams) {
            return latest(connections, streams).flatMap(latest -> connections
                    .commands()
                    .flatMap(redis -> Flux.fromIterable(streams)
                            .concatMap(stream -> redis.get(POSITION_PREFIX + stream)
                                    .defaultIfEmpty(latest.get(stream))
                                    .map(id -> Map.entry(stream, id)))
                            .collectList())
                    .timeout(connections.commandTimeout().multipliedBy(2))
                    .map(list -> {
                        Map<String, String> from = new LinkedHashMap<>();
                        list.forEach(entry -> from.put(entry.getKey(), entry.getValue()));
                        return from;
                    }));
        }

        /** After each stream's current last entry (its start when it does not exist yet). */
        static Mono<Map<String, String>> latest(RedisConnections connections, List<String> streams) {
            return connections
                    .commands()
                    .flatMap(redis -> Flux.fromIterable(streams)
                            .concatMap(stream -> redis.xrevrange(stream, Range.create("-", "+"), Limit.from(1))
                                    .next()
                                    .map(StreamMessage::getId)
                                    .defaultIfEmpty("0-0")
                                    .map(id -> Map.entry(stream, id)))
                            .collectList())
                    .timeout(connections.commandTimeout().multipliedBy(2))
                    .map(list -> {
                        Map<String, String> from = new LinkedHashMap<>();
                        list.forEach(entry -> from.put(entry.getKey(), entry.getValue()));
                        return from;
                    });
        }
    }
}
