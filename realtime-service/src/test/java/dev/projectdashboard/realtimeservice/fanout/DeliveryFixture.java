package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.autoconfigure.EventBusProperties;
import dev.projectdashboard.eventbus.payload.TaskLog;
import dev.projectdashboard.eventbus.redis.EventBusMetrics;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.eventbus.redis.RedisEventPublisher;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.EventRouter;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.cluster.RedisCluster;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.history.RedisChannelOwners;
import dev.projectdashboard.realtimeservice.history.RedisHistory;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.Connection;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.LocalHub;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.hub.Subscribed;
import dev.projectdashboard.realtimeservice.policy.ClaimsChannelPolicy;
import dev.projectdashboard.realtimeservice.policy.ClientPublishProperties;
import dev.projectdashboard.realtimeservice.policy.PublicAccessProperties;
import dev.projectdashboard.realtimeservice.policy.SubscribeProxy;
import dev.projectdashboard.realtimeservice.policy.SubscribeProxyProperties;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Replicas of the delivery core (cluster state, history, hub, sequencer, fan-out tailer) built by hand against the
 * local-stack Redis, each with its own Redis connections, plus connections that record what they are given. Each
 * fixture sequences its own domain stream, so other tests' events do not reach it.
 */
public final class DeliveryFixture implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    /** The application's event-bus defaults, with a shorter blocking read so a closing replica stops soon. */
    private static final EventBusProperties EVENT_BUS = EventBusProperties.bind("consumer.block-timeout=300ms");

    final LocalStack stack = LocalStackExtension.localStack();
    public final String stream = "test:events:" + UUID.randomUUID();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ClientResources resources = RedisConnections.clientResources();
    private final RedisClient client =
            RedisConnections.createClient(resources, stack.redisUri(), Duration.ofSeconds(5));
    private final RedisConnections publisherConnections =
            new RedisConnections(client, stack.redisUri(), Duration.ofSeconds(5));
    private final EventCodec codec = new EventCodec();
    private final RedisEventPublisher publisher = new RedisEventPublisher(
            publisherConnections, codec, new EventBusMetrics(new SimpleMeterRegistry()), EVENT_BUS.publisherOptions());

    /** A unique id for channel and user names, so tests sharing the Redis never meet. */
    /**
     * Hub settings bound the way the service binds them (same names, same {@code @DefaultValue}s), e.g. {@code
     * hub("history-size=5", "history-ttl=5m")}; no arguments gives the defaults.
     */
    public static HubProperties hub(String... settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            properties.put("dashboard.realtime.hub." + setting.substring(0, equals), setting.substring(equals + 1));
        }
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("dashboard.realtime.hub", HubProperties.class);
    }

    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A policy that allows everything (the real one belongs to the policy package). */
    public static ChannelPolicy permissive() {
        return new ChannelPolicy() {
            @Override
            public Mono<Void> authorizeSubscribe(Reader reader, ChannelName channel) {
                return Mono.empty();
            }

            @Override
            public Mono<Void> authorizePublish(Reader reader, ChannelName channel) {
                return Mono.empty();
            }
        };
    }

    /** A policy that lets users read {@code project:{p}} only with {@code p} in their projects claim. */
    public static ChannelPolicy projectsClaim() {
        return new ChannelPolicy() {
            @Override
            public Mono<Void> authorizeSubscribe(Reader reader, ChannelName channel) {
                return !ChannelName.PROJECT.equals(channel.namespace())
                                || reader.principal().mayWatchProject(channel.id())
                        ? Mono.empty()
                        : Mono.error(new RealtimeException(RealtimeException.PERMISSION_DENIED, "permission denied"));
            }

            @Override
            public Mono<Void> authorizePublish(Reader reader, ChannelName channel) {
                return authorizeSubscribe(reader, channel);
            }
        };
    }

    public Replica replica(String name, HubProperties properties) {
        return replica(name, properties, permissive());
    }

    public Replica replica(String name, HubProperties properties, ChannelPolicy policy) {
        return replica(name, properties, connections -> policy);
    }

    /** @param policy the replica's policy, given the replica's own Redis connections (e.g. for its owner lookups) */
    public Replica replica(String name, HubProperties properties, Function<RedisConnections, ChannelPolicy> policy) {
        Replica replica = new Replica(name, properties, policy);
        closeables.add(replica);
        return replica;
    }

    /** The service's claims policy (no subscribe proxy, no client publish), with task owners from Redis. */
    public static Function<RedisConnections, ChannelPolicy> claims() {
        return connections -> new ClaimsChannelPolicy(
                new SubscribeProxy(new SubscribeProxyProperties(
                        Map.of(), Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(5), 100, Map.of())),
                new ClientPublishProperties(List.of(), 5, 10, DataSize.ofKilobytes(4)),
                new RedisChannelOwners(connections),
                new PublicAccessProperties(List.of(), "X-Forwarded-For"));
    }

    /**
     * Adds events to this fixture's domain stream in one pipelined write (all XADDs flushed at once), so that the
     * sequencers find them as a backlog rather than one by one.
     */
    public void publishBacklog(List<? extends CloudEvent<?>> events) {
        StatefulRedisConnection<String, String> connection =
                publisherConnections.openDedicated().block(WAIT);
        try {
            connection.setAutoFlushCommands(false);
            List<RedisFuture<String>> added = new ArrayList<>();
            for (CloudEvent<?> event : events) {
                added.add(connection.async().xadd(stream, Map.of(Streams.EVENT_FIELD, codec.encode(event))));
            }
            connection.flushCommands();
            for (RedisFuture<String> future : added) {
                future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("backlog not written", e);
        } finally {
            publisherConnections.release(connection).block(WAIT);
        }
    }

    /** Adds an event to this fixture's domain stream, as a producer would. */
    public String publish(CloudEvent<?> event) {
        return publisher.publish(stream, event).block(WAIT);
    }

    /**
     * Adds a {@code task.log} event: on {@code task:{task}} and, with an owner, {@code user:{owner}}.
     *
     * @param owner the event's {@code user_id}, or {@code null} for none
     * @return the event's id
     */
    public String publishTaskLog(String owner, String task, String line) {
        CloudEvent<TaskLog> event =
                CloudEvent.of(EventTypes.TASK_LOG, "/tests", null, new TaskLog(owner, task, "info", line));
        publish(event);
        return event.id();
    }

    @Override
    public void close() {
        for (AutoCloseable closeable : closeables) {
            try {
                closeable.close();
            } catch (Exception e) {
                // best effort: the next test does not depend on it
            }
        }
        publisherConnections.close();
        client.shutdown();
        resources.shutdown();
    }

    /** One replica of realtime-service's delivery core. */
    public final class Replica implements AutoCloseable {

        public final String name;
        public final HubProperties properties;
        public final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        public final RedisConnections connections;
        public final RedisCluster cluster;
        public final RedisHistory history;
        public final LocalHub hub;
        public final Sequencer sequencer;
        public final FanoutTailer tailer;
        private final ClientResources replicaResources = RedisConnections.clientResources();
        private final RedisClient replicaClient;
        private final EventStreams streams;
        private final List<Connection> connected = new CopyOnWriteArrayList<>();

        Replica(String name, HubProperties properties, Function<RedisConnections, ChannelPolicy> policyOf) {
            this.name = name;
            this.properties = properties;
            replicaClient = RedisConnections.createClient(replicaResources, stack.redisUri(), Duration.ofSeconds(5));
            connections = new RedisConnections(replicaClient, stack.redisUri(), Duration.ofSeconds(5));
            ChannelPolicy policy = policyOf.apply(connections);
            PublicationCodec publications = new PublicationCodec(Clock.systemUTC());
            streams = new EventStreams(
                    connections,
                    codec,
                    new EventBusMetrics(registry),
                    EVENT_BUS.consumer().toOptions(),
                    EVENT_BUS.publisherOptions());
            cluster = new RedisCluster(connections, properties, publications, Clock.systemUTC());
            history = new RedisHistory(connections, publications, properties);
            hub = new LocalHub(properties, policy, cluster, cluster, history, registry);
            sequencer =
                    new Sequencer(streams, connections, new EventRouter(), publications, properties, List.of(stream));
            tailer = new FanoutTailer(streams, connections, publications, hub);
        }

        /** Heartbeat, fan-out tailer and sequencer running, positions fixed. */
        public Replica start() {
            cluster.start().then(tailer.start()).then(sequencer.start()).block(WAIT);
            return this;
        }

        /** What a crash looks like to the others: nothing runs any more, nothing is cleaned up. */
        public void kill() {
            sequencer.stop();
            tailer.stop();
            cluster.stop();
        }

        public RecordingConnection connect(String userId) {
            return connect(new RecordingConnection(userId, Set.of(), Set.of()));
        }

        public RecordingConnection connect(RecordingConnection connection) {
            hub.register(connection).block(WAIT);
            connected.add(connection);
            return connection;
        }

        public Subscribed subscribe(RecordingConnection connection, String channel) {
            return subscribe(connection, channel, null);
        }

        public Subscribed subscribe(
                RecordingConnection connection, String channel, dev.projectdashboard.realtimeservice.hub.Since since) {
            return hub.subscribe(connection, ChannelName.parse(channel), since, connection::subscribed)
                    .block(WAIT);
        }

        /**
         * Gives back what its connections hold in Redis, as a replica's closing connections do, then stops: a later
         * test class sharing this Redis does not see the counts of this one's connections vanish when this replica's
         * heartbeat expires.
         */
        @Override
        public void close() {
            Flux.fromIterable(connected)
                    .flatMap(connection -> hub.unregister(connection).onErrorResume(e -> Mono.empty()))
                    .then()
                    .block(WAIT);
            kill();
            connections.close();
            replicaClient.shutdown();
            replicaResources.shutdown();
        }
    }

    /** A connection that keeps everything the hub gives it, in order, with the {@code subscribed} answers. */
    public static final class RecordingConnection implements Connection {

        private final String id = UUID.randomUUID().toString();
        private final Reader reader;
        private final Instant connectedAt = Instant.now();
        /** Publications and {@code subscribed} answers, in the order the hub produced them. */
        public final List<Object> log = new CopyOnWriteArrayList<>();

        public final List<PresenceChange> presence = new CopyOnWriteArrayList<>();
        /** Subscriptions the hub ended, with why. */
        public final List<RealtimeException> revoked = new CopyOnWriteArrayList<>();

        public final AtomicReference<CloseReason> closed = new AtomicReference<>();

        public RecordingConnection(String userId, Set<String> roles, Set<String> projects) {
            this(Reader.of(new DashboardPrincipal(userId, roles, projects, Set.of())));
        }

        /** A connection of this reader (e.g. a public one, without a token). */
        public RecordingConnection(Reader reader) {
            this.reader = reader;
        }

        void subscribed(Subscribed subscribed) {
            log.add(subscribed);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public DashboardPrincipal principal() {
            return reader.principal();
        }

        @Override
        public Reader reader() {
            return reader;
        }

        @Override
        public String transport() {
            return "websocket";
        }

        @Override
        public Instant connectedAt() {
            return connectedAt;
        }

        @Override
        public boolean deliver(Publication publication) {
            log.add(publication);
            return true;
        }

        @Override
        public void presence(String channel, PresenceChange change) {
            presence.add(change);
        }

        @Override
        public void revoked(ChannelName channel, RealtimeException reason) {
            revoked.add(reason);
        }

        @Override
        public void close(CloseReason reason) {
            closed.compareAndSet(null, reason);
        }

        /** Publications delivered on one channel, in order. */
        public List<Publication> publications(String channel) {
            return log.stream()
                    .filter(entry ->
                            entry instanceof Publication p && p.channel().equals(channel))
                    .map(Publication.class::cast)
                    .collect(Collectors.toList());
        }

        public List<Long> offsets(String channel) {
            return publications(channel).stream().map(Publication::offset).collect(Collectors.toList());
        }

        /** Every publication delivered, in order, whichever channel it is named after. */
        public List<Publication> publications() {
            return log.stream()
                    .filter(Publication.class::isInstance)
                    .map(Publication.class::cast)
                    .collect(Collectors.toList());
        }

        /** The offsets of a channel a client learns, in order: frames named after it and frames listing it in also. */
        public List<Long> positionsSeen(String channel) {
            List<Long> offsets = new ArrayList<>();
            for (Publication publication : publications()) {
                if (publication.channel().equals(channel)) {
                    offsets.add(publication.offset());
                }
                publication.also().stream()
                        .filter(position -> position.channel().equals(channel))
                        .forEach(position -> offsets.add(position.offset()));
            }
            return offsets;
        }

        /** Event ids of everything delivered, in order. */
        public List<String> eventIds() {
            return publications().stream().map(Publication::eventId).collect(Collectors.toList());
        }
    }
}
