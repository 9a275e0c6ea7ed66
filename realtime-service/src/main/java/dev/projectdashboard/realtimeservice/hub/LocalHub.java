package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The hub of this replica: its connections ({@link Subscriber}), an index channel → subscriptions, and the subscribe
 * flow with recovery. The fan-out tailer hands it every publication of the cluster ({@link #dispatch}); it delivers
 * to the local subscribers of the publication's channels, once per connection.
 */
public final class LocalHub implements Hub {

    private static final Logger log = LoggerFactory.getLogger(LocalHub.class);

    private final HubProperties properties;
    private final ChannelPolicy policy;
    private final ConnectionLimits limits;
    private final PresenceEntries presence;
    private final ChannelPositions history;
    private final Map<String, Subscriber> connections = new ConcurrentHashMap<>();
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();
    private final Map<String, Set<Subscription>> channels = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptions = new AtomicInteger();
    private final Counter recovered;
    private final Counter notRecovered;

    public LocalHub(
            HubProperties properties,
            ChannelPolicy policy,
            ConnectionLimits limits,
            PresenceEntries presence,
            ChannelPositions history,
            MeterRegistry registry) {
        this.properties = properties;
        this.policy = policy;
        this.limits = limits;
        this.presence = presence;
        this.history = history;
        Gauge.builder("dashboard.realtime.subscriptions", subscriptions, AtomicInteger::get)
                .description("channel subscriptions of the connections on this replica")
                .register(registry);
        this.recovered = Counter.builder("dashboard.realtime.recoveries")
                .description("subscribes with a position: every missed publication replayed (ok) or not (failed)")
                .tag("result", "ok")
                .register(registry);
        this.notRecovered = Counter.builder("dashboard.realtime.recoveries")
                .description("subscribes with a position: every missed publication replayed (ok) or not (failed)")
                .tag("result", "failed")
                .register(registry);
    }

    @Override
    public Mono<Void> register(Connection connection) {
        Reader reader = connection.reader();
        String userId = reader.userId();
        if (connections.containsKey(connection.id())) {
            return Mono.empty(); // registered already: counted once
        }
        // a public reader's name is its client address: the per-user limit becomes one per address
        int limit = reader.publicOnly() ? properties.maxConnectionsPerAddress() : properties.maxConnectionsPerUser();
        return limits.acquire(userId, limit).then(Mono.fromRunnable(() -> {
            Subscriber subscriber = new Subscriber(connection, policy, this::revoked);
            if (connections.putIfAbsent(connection.id(), subscriber) != null) {
                // two registrations raced: the first holds the place, give this one back
                limits.release(userId).subscribe(null, e -> log.warn("release of {} failed: {}", userId, e.toString()));
                return;
            }
            byUser.computeIfAbsent(userId, id -> ConcurrentHashMap.newKeySet()).add(connection);
            if (reader.publicOnly()) {
                return; // no personal channels, and not one of the users in the stats' active users
            }
            limits.touch(userId);
            // personal channels: live at once, without recovery (a client that wants it re-subscribes with since)
            synchronized (subscriber) {
                for (ChannelName channel : personalChannels(userId)) {
                    Subscription subscription = subscriber.addLive(channel);
                    if (subscription != null) {
                        index(subscription);
                    }
                }
            }
        }));
    }

    @Override
    public Mono<Void> unregister(Connection connection) {
        return Mono.defer(() -> {
            Subscriber subscriber = connections.remove(connection.id());
            if (subscriber == null) {
                return Mono.empty();
            }
            String userId = connection.principal().userId();
            byUser.computeIfPresent(userId, (id, set) -> {
                set.remove(connection);
                return set.isEmpty() ? null : set;
            });
            // a subscribe racing with this either finished adding before or sees the connection closed
            List<Subscription> subscribed = subscriber.close();
            List<Mono<Void>> cleanup = new ArrayList<>();
            for (Subscription subscription : subscribed) {
                if (!unindex(subscription)) {
                    continue;
                }
                if (properties.hasPresence(subscription.channel.namespace())) {
                    cleanup.add(presence.presenceLeave(subscription.channel, connection.id()));
                }
            }
            cleanup.add(limits.release(userId));
            return Flux.fromIterable(cleanup)
                    .flatMap(step -> step.onErrorResume(e -> {
                        // the heartbeat rewrites counts and presence expires: a failed cleanup heals itself
                        log.warn("cleanup of connection {} failed: {}", connection.id(), e.toString());
                        return Mono.empty();
                    }))
                    .then();
        });
    }

    @Override
    public Mono<Subscribed> subscribe(
            Connection connection, ChannelName channel, Since since, Consumer<Subscribed> beforeReplay) {
        return Mono.defer(() -> {
            Subscriber subscriber = connections.get(connection.id());
            if (subscriber == null) {
                return Mono.error(new RealtimeException(RealtimeException.BAD_REQUEST, "connection is not open"));
            }
            Reader reader = connection.reader();
            if (!reader.publicOnly()) {
                limits.touch(reader.userId());
            }
            return policy.authorizeSubscribe(reader, channel)
                    .then(Mono.defer(() -> subscribeAuthorized(subscriber, channel, since, beforeReplay)));
        });
    }

    private Mono<Subscribed> subscribeAuthorized(
            Subscriber subscriber, ChannelName channel, Since since, Consumer<Subscribed> beforeReplay) {
        Subscriber.Begun begun;
        synchronized (subscriber) {
            // indexed under the subscriber's lock, which an unregister takes too: it sees the subscription, or the
            // subscribe sees the connection closed
            try {
                begun = subscriber.begin(channel, properties.maxSubscriptionsPerConnection());
            } catch (RealtimeException refused) {
                return Mono.error(refused);
            }
            if (begun.created()) {
                // indexed before history is read: live publications from now on are held, none slips by
                index(begun.subscription());
            }
        }
        Subscription subscription = begun.subscription();
        Connection connection = subscriber.connection;
        Mono<ChannelPositions.Recovery> read =
                since == null ? history.position(channel) : history.recover(channel, since);
        return read.flatMap(recovery -> {
                    if (since != null) {
                        (recovery.recovered() ? recovered : notRecovered).increment();
                    }
                    Subscribed subscribed = subscriber.finish(
                            begun,
                            recovery.epoch(),
                            recovery.top(),
                            recovery.owner(),
                            history.recoverable(),
                            since,
                            since != null && recovery.recovered(),
                            recovery.publications(),
                            beforeReplay);
                    if (subscribed == null) {
                        // the replay showed the channel is someone else's: its owner became known after the check
                        dropped(subscription, !begun.created());
                        return Mono.error(new RealtimeException(
                                RealtimeException.PERMISSION_DENIED,
                                "permission denied: " + channel + " (it belongs to someone else)"));
                    }
                    Mono<Void> joined = begun.created()
                                    && properties.hasPresence(channel.namespace())
                                    && subscriber.isActive(subscription)
                            ? presence.presenceJoin(channel, info(connection)).onErrorResume(e -> {
                                // the subscription is live already; presence is best effort and heals on refresh
                                log.warn(
                                        "presence join of {} on {} failed: {}", connection.id(), channel, e.toString());
                                return Mono.empty();
                            })
                            : Mono.empty();
                    return joined.thenReturn(subscribed);
                })
                .onErrorResume(e -> {
                    if (subscriber.abort(begun)) {
                        unindex(subscription);
                    }
                    if (e instanceof RealtimeException) {
                        return Mono.error(e);
                    }
                    if (e instanceof ChannelPositions.ReadRefused) {
                        // trying again gets the same, so no "try again"
                        log.error("subscribe of {} to {} failed", subscriber.connection.id(), channel, e);
                        return Mono.error(new RealtimeException(RealtimeException.INTERNAL, "internal error"));
                    }
                    return Mono.error(new RealtimeException(
                            RealtimeException.NOT_AVAILABLE, "channel history is not available, try again"));
                });
    }

    @Override
    public void unsubscribe(Connection connection, ChannelName channel) {
        Subscriber subscriber = connections.get(connection.id());
        if (subscriber == null) {
            return;
        }
        Subscription subscription = subscriber.remove(channel.toString());
        if (subscription != null) {
            dropped(subscription, true);
        }
    }

    /** Subscriptions the policy ended on a delivery: out of the index and presence, and the client is told. */
    private void revoked(List<Subscription> subscriptions) {
        for (Subscription subscription : subscriptions) {
            if (dropped(subscription, true)) {
                subscription.subscriber.connection.revoked(
                        subscription.channel,
                        new RealtimeException(
                                RealtimeException.PERMISSION_DENIED,
                                "permission denied: " + subscription.channel
                                        + " (it turned out to belong to someone else)"));
            }
        }
    }

    /**
     * A subscription that is no more: out of the index and, when it had joined, presence.
     *
     * @return false when it was dropped already
     */
    private boolean dropped(Subscription subscription, boolean joined) {
        if (!unindex(subscription)) {
            return false;
        }
        ChannelName channel = subscription.channel;
        String connectionId = subscription.subscriber.connection.id();
        if (joined && properties.hasPresence(channel.namespace())) {
            presence.presenceLeave(channel, connectionId)
                    .subscribe(
                            null,
                            e -> log.warn(
                                    "presence leave of {} on {} failed: {}", connectionId, channel, e.toString()));
        }
        return true;
    }

    @Override
    public Collection<Connection> connectionsOf(String userId) {
        Set<Connection> set = byUser.get(userId);
        return set == null ? List.of() : List.copyOf(set);
    }

    @Override
    public int size() {
        return connections.size();
    }

    /** Channels a connection is subscribed to (for tests and diagnostics). */
    public Set<ChannelName> subscriptionsOf(Connection connection) {
        Subscriber subscriber = connections.get(connection.id());
        return subscriber == null ? Set.of() : subscriber.channels();
    }

    /**
     * A publication of the cluster (from the fan-out, one caller in stream order): to every local subscriber of any
     * of its channels, once per connection however many of them it is subscribed to ({@link Subscriber}).
     */
    public void dispatch(Publication publication) {
        for (Position position : publication.positions()) {
            Set<Subscription> subscribers = channels.get(position.channel());
            if (subscribers == null) {
                continue;
            }
            for (Subscription subscription : subscribers) {
                subscription.subscriber.offer(publication);
            }
        }
    }

    /** A join or leave somewhere in the cluster: to the local subscribers of the channel, not to its subject. */
    public void presenceChanged(String channel, PresenceChange change) {
        Set<Subscription> subscribers = channels.get(channel);
        if (subscribers == null) {
            return;
        }
        int colon = channel.indexOf(':');
        if (colon < 0 || !properties.hasJoinLeave(channel.substring(0, colon))) {
            return;
        }
        for (Subscription subscription : subscribers) {
            Connection connection = subscription.subscriber.connection;
            // who watches a channel is for those who may read it: a subscription made before its owner was known
            // (a deployment whose project is not known yet) sees nobody come and go until it may
            if (!connection.id().equals(change.info().connectionId())
                    && policy.delivery(connection.reader(), subscription.presencePosition())
                            == ChannelPolicy.Delivery.DELIVER) {
                connection.presence(channel, change);
            }
        }
    }

    /** Closes the local connections of a user (an administrator's disconnect, from any replica). */
    public int closeLocal(String userId, CloseReason reason) {
        Collection<Connection> own = connectionsOf(userId);
        own.forEach(connection -> connection.close(reason));
        return own.size();
    }

    private void index(Subscription subscription) {
        channels.compute(subscription.name, (name, set) -> {
            Set<Subscription> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(subscription);
            return result;
        });
        subscriptions.incrementAndGet();
    }

    /** Takes a subscription out of the index; false when it was already (unsubscribe, unregister and a failure race). */
    private boolean unindex(Subscription subscription) {
        if (!subscription.unindex()) {
            return false;
        }
        channels.computeIfPresent(subscription.name, (name, set) -> {
            set.remove(subscription);
            return set.isEmpty() ? null : set;
        });
        subscriptions.decrementAndGet();
        return true;
    }

    private static List<ChannelName> personalChannels(String userId) {
        List<ChannelName> personal = new ArrayList<>(2);
        try {
            personal.add(ChannelName.of(ChannelName.USER, userId));
        } catch (IllegalArgumentException e) {
            // a subject channels cannot name (spaces, ':'): such a user has no personal channel
        }
        personal.add(ChannelName.SYSTEM_NOTIFICATIONS);
        return personal;
    }

    private static PresenceChange.ClientInfo info(Connection connection) {
        return new PresenceChange.ClientInfo(
                connection.principal().userId(), connection.id(), connection.transport(), connection.connectedAt());
    }
}
