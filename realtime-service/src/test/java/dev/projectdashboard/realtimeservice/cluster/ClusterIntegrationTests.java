package dev.projectdashboard.realtimeservice.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.fanout.TwoReplicaTests;
import dev.projectdashboard.realtimeservice.hub.Cluster;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What spans replicas: the per-user limit, presence with bounded expiry, stats. */
class ClusterIntegrationTests extends TwoReplicaTests {

    // short liveness so a dead replica is noticed within the test: presence 1.5 s (+ 0.5 s sweep), replica 1.2 s
    private static final HubProperties FAST = DeliveryFixture.hub(
            "max-connections-per-user=2",
            "max-subscriptions-per-connection=16",
            "join-leave-namespaces=project,deployment",
            "presence-ttl=1500ms",
            "replica-ttl=1200ms",
            "heartbeat-interval=300ms");

    @Override
    protected HubProperties properties() {
        return FAST;
    }

    @Test
    void perUserLimitHoldsAcrossReplicasAndIsFreedWhenAReplicaDies() {
        String user = DeliveryFixture.unique("u");
        a.connect(user);
        b.connect(user);

        for (Replica replica : new Replica[] {a, b}) {
            assertThatThrownBy(() -> replica.connect(user))
                    .isInstanceOfSatisfying(RealtimeException.class, e -> assertThat(e.code())
                            .isEqualTo(RealtimeException.LIMIT_EXCEEDED));
        }
        assertThat(a.hub.connectionsOf(user)).hasSize(1);

        b.kill();
        // once b's heartbeat is older than the replica ttl its connection no longer counts
        await().atMost(Duration.ofSeconds(5))
                .pollInterval(Duration.ofMillis(200))
                .ignoreExceptionsInstanceOf(RealtimeException.class)
                .until(() -> a.connect(user) != null);
    }

    @Test
    void closingAConnectionFreesItsPlace() {
        String user = DeliveryFixture.unique("u");
        RecordingConnection first = a.connect(user);
        b.connect(user);
        a.hub.unregister(first).block(DeliveryFixture.WAIT);

        assertThat(b.connect(user)).isNotNull();
        assertThat(a.hub.connectionsOf(user)).isEmpty();
    }

    @Test
    void presenceListsBothReplicasAndDropsADeadReplicasEntriesWithALeave() {
        String channel = "project:" + DeliveryFixture.unique("p");
        RecordingConnection onA = a.connect(DeliveryFixture.unique("ua"));
        RecordingConnection onB = b.connect(DeliveryFixture.unique("ub"));
        a.subscribe(onA, channel);
        b.subscribe(onB, channel);

        assertThat(a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::connectionId)
                .containsExactlyInAnyOrder(onA.id(), onB.id());
        await().atMost(DeliveryFixture.WAIT)
                .untilAsserted(() -> assertThat(onA.presence).anySatisfy(change -> {
                    assertThat(change.kind()).isEqualTo("join");
                    assertThat(change.info().connectionId()).isEqualTo(onB.id());
                    assertThat(change.info().transport()).isEqualTo("websocket");
                }));

        long killedAt = System.nanoTime();
        b.kill();
        await().atMost(Duration.ofSeconds(6))
                .untilAsserted(() -> assertThat(onA.presence).anySatisfy(change -> {
                    assertThat(change.kind()).isEqualTo("leave");
                    assertThat(change.info().connectionId()).isEqualTo(onB.id());
                }));
        // bounded: presence ttl plus one sweep period (and some slack for the test machine)
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofMillis(1500 + 500 + 1500));
        assertThat(a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::connectionId)
                .containsExactly(onA.id());
        // a's own entry survives the ttl: it is refreshed. Listed after the moment its entry, as it stands now, expires
        double expiresAt = a.connections
                .commands()
                .flatMap(redis -> redis.zscore(RedisCluster.PRESENCE_PREFIX + channel, onA.id()))
                .block(DeliveryFixture.WAIT);
        await().atMost(Duration.ofSeconds(4)).until(() -> System.currentTimeMillis() > expiresAt);
        await().atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(
                        a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::connectionId)
                .containsExactly(onA.id()));
    }

    @Test
    void unsubscribingLeavesPresenceAtOnce() {
        String channel = "deployment:" + DeliveryFixture.unique("d");
        RecordingConnection onA = a.connect(DeliveryFixture.unique("ua"));
        RecordingConnection onB = b.connect(DeliveryFixture.unique("ub"));
        a.subscribe(onA, channel);
        b.subscribe(onB, channel);

        b.hub.unsubscribe(onB, ChannelName.parse(channel));

        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(onA.presence)
                .anySatisfy(change -> assertThat(change.kind()).isEqualTo("leave")));
        assertThat(a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::connectionId)
                .containsExactly(onA.id());
    }

    @Test
    void statsCountConnectionsAndUsersOfLiveReplicas() {
        Cluster.Stats before = a.cluster.stats(1000).block(DeliveryFixture.WAIT);
        String user = DeliveryFixture.unique("u");
        RecordingConnection first = a.connect(user);
        b.connect(user);
        String otherUser = DeliveryFixture.unique("v");
        RecordingConnection other = b.connect(otherUser);
        b.subscribe(other, "task:" + DeliveryFixture.unique("t"));

        Cluster.Stats stats = a.cluster.stats(1000).block(DeliveryFixture.WAIT);

        // other tests' replicas may share this Redis: compare with what was there before
        assertThat(stats.totalConnections() - before.totalConnections()).isEqualTo(3);
        assertThat(stats.totalUsers() - before.totalUsers()).isEqualTo(2);
        assertThat(stats.replicas()).isGreaterThanOrEqualTo(2);
        a.hub.unregister(first).block(DeliveryFixture.WAIT);
        assertThat(a.cluster.stats(1000).block(DeliveryFixture.WAIT).totalConnections() - before.totalConnections())
                .isEqualTo(2);
        // active users are published with the heartbeat, listed by id
        await().atMost(DeliveryFixture.WAIT).until(() -> a.cluster
                .stats(1000)
                .block(DeliveryFixture.WAIT)
                .activeUsers()
                .containsAll(java.util.List.of(user, otherUser)));
        Cluster.Stats listed = a.cluster.stats(1).block(DeliveryFixture.WAIT);
        assertThat(listed.activeUsers()).hasSize(1);
        assertThat(listed.activeUserCount()).isGreaterThanOrEqualTo(2);
        assertThat(listed.activeUsersTruncated()).isTrue();
    }
}
