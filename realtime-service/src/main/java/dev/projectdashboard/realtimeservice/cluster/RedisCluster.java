package dev.projectdashboard.realtimeservice.cluster;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.fanout.FanoutEntries;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.hub.Cluster;
import dev.projectdashboard.realtimeservice.hub.ConnectionLimits;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.PresenceEntries;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.script.RedisScript;
import io.lettuce.core.XAddArgs;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * This replica's share of the cluster state in Redis: its heartbeat ({@code rt:replicas}), its per-user connection
 * counts ({@code rt:replica:{id}:users}, summed over live replicas for the per-user limit and the stats), the users
 * active lately ({@code rt:replica:{id}:active}) and the presence entries of its connections ({@code
 * rt:presence:{channel}}), refreshed so that a dead replica's entries expire within {@code presence-ttl} plus one
 * sweep, each with a {@code leave}.
 */
public final class RedisCluster implements Cluster, ConnectionLimits, PresenceEntries {

    public static final String REPLICAS = "rt:replicas";
    public static final String REPLICA_PREFIX = "rt:replica:";
    public static final String PRESENCE_PREFIX = "rt:presence:";
    public static final String PRESENCE_CHANNELS = "rt:presence:channels";

    private static final Logger log = LoggerFactory.getLogger(RedisCluster.class);
    private static final Duration ACTIVE_WINDOW = Duration.ofMinutes(5);

    private final RedisConnections connections;
    private final HubProperties properties;
    private final JsonMapper mapper;
    private final PublicationCodec codec;
    private final Clock clock;
    private final FanoutEntries entries;
    private final String replicaId;
    private final RedisScript acquire;
    private final RedisScript release;
    private final RedisScript heartbeat;
    private final RedisScript stats;
    private final RedisScript presenceAdd;
    private final RedisScript presenceRemove;
    private final RedisScript presenceRead;
    private final RedisScript presenceSweep;
    private final Map<String, AtomicInteger> localUsers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastSeen = new ConcurrentHashMap<>();
    // channel -> connection id -> info JSON: what this replica refreshes
    private final Map<String, Map<String, String>> localPresence = new ConcurrentHashMap<>();
    private final Disposable.Composite timers = Disposables.composite();
    private final AtomicBoolean started = new AtomicBoolean();

    public RedisCluster(RedisConnections connections, HubProperties properties, PublicationCodec codec, Clock clock) {
        this.clock = clock;
        this.connections = connections;
        this.properties = properties;
        this.codec = codec;
        this.mapper = codec.mapper();
        this.entries = new FanoutEntries(mapper);
        this.replicaId = properties.replicaId().isBlank() ? defaultReplicaId() : properties.replicaId();
        this.acquire = RedisScript.load("conn_acquire", connections);
        this.release = RedisScript.load("conn_release", connections);
        this.heartbeat = RedisScript.load("heartbeat", connections);
        this.stats = RedisScript.load("stats", connections);
        this.presenceAdd = RedisScript.load("presence_add", connections);
        this.presenceRemove = RedisScript.load("presence_remove", connections);
        this.presenceRead = RedisScript.load("presence_read", connections);
        this.presenceSweep = RedisScript.load("presence_sweep", connections);
    }

    public String replicaId() {
        return replicaId;
    }

    /** Beats once (so the replica counts as live when this completes), then keeps beating and sweeping. */
    public Mono<Void> start() {
        return heartbeat().then(Mono.fromRunnable(() -> {
            if (!started.compareAndSet(false, true)) {
                return; // a retried start: the timers run already
            }
            timers.add(Flux.interval(properties.heartbeatInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> heartbeat().onErrorResume(e -> {
                        log.warn("replica heartbeat failed: {}", e.toString());
                        return Mono.empty();
                    }))
                    .subscribe());
            timers.add(Flux.interval(properties.presenceRefreshInterval())
                    .onBackpressureDrop()
                    .concatMap(tick -> refreshPresence().then(sweepPresence()).onErrorResume(e -> {
                        log.warn("presence refresh failed: {}", e.toString());
                        return Mono.empty();
                    }))
                    .subscribe());
        }));
    }

    /**
     * Stops beating and refreshing, leaving everything in Redis to expire: what a crashed replica looks like to the
     * others (and the right thing on shutdown too, since the connections' own cleanup runs as they close).
     */
    public void stop() {
        timers.dispose();
    }

    @Override
    public Mono<Void> acquire(String userId, int limit) {
        long now = clock.millis();
        return acquire.integer(
                        List.of(REPLICAS, usersKey(replicaId)),
                        List.of(
                                Long.toString(now),
                                userId,
                                Integer.toString(limit),
                                REPLICA_PREFIX,
                                replicaId,
                                Long.toString(properties.replicaTtl().toMillis())))
                .flatMap(count -> {
                    if (count < 0) {
                        return Mono.error(new RealtimeException(
                                RealtimeException.LIMIT_EXCEEDED, "too many connections: at most " + limit));
                    }
                    localUsers
                            .computeIfAbsent(userId, id -> new AtomicInteger())
                            .incrementAndGet();
                    return Mono.<Void>empty();
                });
    }

    @Override
    public Mono<Void> release(String userId) {
        localUsers.computeIfPresent(userId, (id, count) -> count.decrementAndGet() <= 0 ? null : count);
        return release.integer(List.of(usersKey(replicaId)), List.of(userId)).then();
    }

    @Override
    public void touch(String userId) {
        lastSeen.put(userId, clock.millis());
    }

    @Override
    public Mono<Void> presenceJoin(ChannelName channel, PresenceChange.ClientInfo info) {
        String json = infoJson(info);
        localPresence
                .computeIfAbsent(channel.toString(), c -> new ConcurrentHashMap<>())
                .put(info.connectionId(), json);
        long ttl = properties.presenceTtl().toMillis();
        return presenceAdd
                .integer(
                        presenceKeys(channel.toString()),
                        List.of(
                                Long.toString(clock.millis() + ttl),
                                Long.toString(ttl),
                                channel.toString(),
                                properties.hasJoinLeave(channel.namespace()) ? "1" : "0",
                                Long.toString(properties.fanoutMaxlen()),
                                info.connectionId(),
                                json))
                .then();
    }

    @Override
    public Mono<Void> presenceLeave(ChannelName channel, String connectionId) {
        localPresence.computeIfPresent(channel.toString(), (c, members) -> {
            members.remove(connectionId);
            return members.isEmpty() ? null : members;
        });
        return presenceRemove
                .integer(
                        presenceKeys(channel.toString()),
                        List.of(
                                connectionId,
                                channel.toString(),
                                properties.hasJoinLeave(channel.namespace()) ? "1" : "0",
                                Long.toString(properties.fanoutMaxlen())))
                .then();
    }

    @Override
    public Mono<Stats> stats(int maxActiveUsers) {
        long now = clock.millis();
        return stats.multi(
                        List.of(REPLICAS),
                        List.of(
                                Long.toString(now),
                                REPLICA_PREFIX,
                                Long.toString(now - ACTIVE_WINDOW.toMillis()),
                                "",
                                Integer.toString(maxActiveUsers)))
                .map(reply -> new Stats(
                        (Long) reply.get(0),
                        (Long) reply.get(1),
                        ((List<?>) reply.get(5))
                                .stream().map(String.class::cast).toList(),
                        (Long) reply.get(2),
                        ((Long) reply.get(3)).intValue()));
    }

    @Override
    public Mono<List<PresenceChange.ClientInfo>> presence(ChannelName channel) {
        return presenceRead
                .multi(presenceKeys(channel.toString()).subList(0, 2), List.of(Long.toString(clock.millis())))
                .map(reply -> {
                    List<PresenceChange.ClientInfo> infos = new ArrayList<>(reply.size());
                    for (Object json : reply) {
                        PresenceChange.ClientInfo info = parseInfo((String) json);
                        if (info != null) {
                            infos.add(info);
                        }
                    }
                    return infos;
                });
    }

    @Override
    public Mono<Long> disconnectUser(String userId) {
        long now = clock.millis();
        return stats.multi(
                        List.of(REPLICAS), List.of(Long.toString(now), REPLICA_PREFIX, Long.toString(now), userId, "0"))
                .map(reply -> (Long) reply.get(4))
                .flatMap(count -> append(entries.disconnect(userId)).thenReturn(count));
    }

    @Override
    public Mono<Void> publishEphemeral(ChannelName channel, String type, String dataJson) {
        return Mono.fromCallable(() -> {
                    JsonNode data = mapper.readTree(dataJson);
                    JsonNode publication =
                            mapper.readTree(codec.encode(type, CloudEvent.newId(), clock.instant(), data));
                    return entries.ephemeral(channel.toString(), publication);
                })
                .onErrorMap(
                        JacksonException.class,
                        e -> new RealtimeException(RealtimeException.BAD_REQUEST, "data must be JSON"))
                .flatMap(this::append)
                .then();
    }

    /** Beats now: live for another {@code replica-ttl}, with the per-user counts rewritten from local truth. */
    public Mono<Void> heartbeat() {
        long now = clock.millis();
        List<String> args = new ArrayList<>();
        args.add(Long.toString(now));
        args.add(replicaId);
        args.add(Long.toString(properties.replicaTtl().toMillis()));
        List<String> pairs = new ArrayList<>();
        localUsers.forEach((user, count) -> {
            if (count.get() > 0) {
                pairs.add(user);
                pairs.add(Integer.toString(count.get()));
            }
        });
        args.add(Integer.toString(pairs.size() / 2));
        args.addAll(pairs);
        long activeSince = now - ACTIVE_WINDOW.toMillis();
        lastSeen.entrySet().removeIf(entry -> entry.getValue() < activeSince);
        lastSeen.forEach((user, seen) -> {
            args.add(user);
            args.add(Long.toString(seen));
        });
        return heartbeat
                .integer(List.of(REPLICAS, usersKey(replicaId), REPLICA_PREFIX + replicaId + ":active"), args)
                .then();
    }

    /** Renews this replica's presence entries (one script per channel). */
    public Mono<Void> refreshPresence() {
        long ttl = properties.presenceTtl().toMillis();
        return Flux.fromIterable(List.copyOf(localPresence.entrySet()))
                .concatMap(entry -> {
                    List<String> args = new ArrayList<>();
                    args.add(Long.toString(clock.millis() + ttl));
                    args.add(Long.toString(ttl));
                    args.add(entry.getKey());
                    args.add("0"); // a refresh is no join, even if the entry had expired meanwhile
                    args.add(Long.toString(properties.fanoutMaxlen()));
                    entry.getValue().forEach((connection, json) -> {
                        args.add(connection);
                        args.add(json);
                    });
                    return args.size() > 5 ? presenceAdd.integer(presenceKeys(entry.getKey()), args) : Mono.empty();
                })
                .then();
    }

    /** Drops expired presence entries of every replica, emitting their leaves; answers how many. */
    public Mono<Long> sweepPresence() {
        return presenceSweep.integer(
                List.of(PRESENCE_CHANNELS, FanoutEntries.STREAM),
                List.of(
                        Long.toString(clock.millis()),
                        PRESENCE_PREFIX,
                        // every presence namespace, not only this replica's join/leave ones: the sweeping replica
                        // may not be the one whose subscribers want leaves; each replica filters on delivery
                        String.join(" ", properties.presenceNamespaces()),
                        Long.toString(properties.fanoutMaxlen())));
    }

    private Mono<String> append(String envelope) {
        return connections
                .commands()
                .flatMap(redis -> redis.xadd(
                        FanoutEntries.STREAM,
                        XAddArgs.Builder.maxlen(properties.fanoutMaxlen()).approximateTrimming(),
                        Map.of("event", envelope)))
                .timeout(connections.commandTimeout());
    }

    private String infoJson(PresenceChange.ClientInfo info) {
        ObjectNode node = mapper.createObjectNode();
        node.put("user_id", info.userId());
        node.put("connection_id", info.connectionId());
        node.put("transport", info.transport());
        node.put("connected_at", info.connectedAt().toString());
        return mapper.writeValueAsString(node);
    }

    /** The presence info JSON the scripts store and the fan-out carries, or null when malformed. */
    public PresenceChange.ClientInfo parseInfo(String json) {
        try {
            return FanoutEntries.clientInfo(mapper.readTree(json));
        } catch (JacksonException e) {
            return null;
        }
    }

    private static List<String> presenceKeys(String channel) {
        return List.of(
                PRESENCE_PREFIX + channel,
                PRESENCE_PREFIX + channel + ":info",
                PRESENCE_CHANNELS,
                FanoutEntries.STREAM);
    }

    private static String usersKey(String replica) {
        return REPLICA_PREFIX + replica + ":users";
    }

    private static String defaultReplicaId() {
        String host = System.getenv().getOrDefault("HOSTNAME", "replica");
        return host + "-" + Long.toString(ThreadLocalRandom.current().nextLong() >>> 1, 36);
    }
}
