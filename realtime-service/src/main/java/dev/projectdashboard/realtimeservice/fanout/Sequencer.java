package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.EventRouter;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.history.Epochs;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.history.RedisHistory;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.script.RedisScript;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Events are sequenced in stream order. A batch is what one stream read returned, cut into calls of at most
 * {@link #BATCH} events; up to {@link #PIPELINE} calls are in flight on one Redis connection, which runs them in the
 * order they were written. Every call is written from one dispatch thread: Netty runs a write made on its own event
 * loop at once, ahead of writes other threads queued, so a call issued from a completion callback could overtake
 * earlier ones. The script is always sent in full (a NOSCRIPT answer re-sent as EVAL would land behind later
 * calls). When a call fails, the pipeline stops and starts again after the last batch that completed in order:
 * events sequenced meanwhile are answered from their dedupe keys, so nothing is sequenced twice or skipped.
 */
public final class Sequencer {

    /** {@code rt:seqpos:{stream}}: the newest entry of a domain stream that a replica sequenced. */
    public static final String POSITION_PREFIX = "rt:seqpos:";

    /**
     * Events sequenced by one Lua call at most: one call per event spent most of Redis's time on script dispatch
     * and per-event EXPIREs; a larger call holds Redis (every other command waits) for longer.
     */
    static final int BATCH = 64;

    /**
     * Calls in flight at once: one call at a time left Redis idle while the service prepared the next batch, and
     * on a busy machine every hop waits for a core (the realtime benchmark's personal channels saturated near
     * 6,000-8,000 events/s that way).
     */
    static final int PIPELINE = 16;

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

    /**
     * @param duplicate another call (another replica) sequenced the event first; the positions are its
     * @param fanoutId the {@code rt:fanout} entry id
     * @param positions the event's place in each of its channels, with the channel's owner where it has one
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
        this.publish = RedisScript.load("publish", connections).sendingSource();
        this.sources = List.copyOf(sources);
    }

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
        return StreamPositions.resume(connections, sources)
                .doOnNext(from -> {
                    Map<String, String> done = new ConcurrentHashMap<>(from);
                    running = Flux.defer(() -> inOrder(streams.tailBatches(Map.copyOf(done))))
                            .doOnNext(sequenced ->
                                    sequenced.batch().forEach(entry -> done.put(entry.stream(), entry.id())))
                            .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(50))
                                    .maxBackoff(Duration.ofSeconds(2))
                                    .doBeforeRetry(signal -> log.warn(
                                            "sequencing failed, resuming after {}: {}",
                                            done,
                                            signal.failure().toString())))
                            .subscribe(null, e -> log.error("sequencer stopped", e));
                })
                .then();
    }

    /** A batch and its results. */
    record Sequenced(List<StreamEntry> batch, List<Result> results) {}

    /**
     * Sequences batches of entries in their order, pipelined (what {@link #start()} runs on the tailed streams);
     * fails at the first call that fails.
     *
     * @return each call's batch and results, in order
     */
    Flux<Sequenced> inOrder(Flux<List<StreamEntry>> batches) {
        return batches.concatMapIterable(Sequencer::chunks)
                .publishOn(dispatch, PIPELINE)
                .flatMapSequential(batch -> sequence(batch).map(results -> new Sequenced(batch, results)), PIPELINE, 1);
    }

    private static List<List<StreamEntry>> chunks(List<StreamEntry> batch) {
        if (batch.size() <= BATCH) {
            return List.of(batch);
        }
        List<List<StreamEntry>> chunks = new ArrayList<>(batch.size() / BATCH + 1);
        for (int from = 0; from < batch.size(); from += BATCH) {
            chunks.add(batch.subList(from, Math.min(batch.size(), from + BATCH)));
        }
        return chunks;
    }

    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        dispatch.dispose();
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
                args.add(ownerArgument(event, channel));
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

    /** {@code publish.lua}'s owner argument: none, owned but not said by this event, or the owner it claims. */
    private String ownerArgument(CloudEvent<JsonNode> event, ChannelName channel) {
        if (!EventRouter.hasOwner(channel)) {
            return "";
        }
        String claim = router.ownerClaim(event, channel);
        return claim == null ? "?" : "=" + claim;
    }

    private static Result result(List<Object> reply) {
        List<Position> positions = new ArrayList<>();
        for (int i = 2; i + 3 < reply.size(); i += 4) {
            positions.add(
                    new Position((String) reply.get(i), number(reply.get(i + 1)), (String) reply.get(i + 2), (String)
                            reply.get(i + 3)));
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
