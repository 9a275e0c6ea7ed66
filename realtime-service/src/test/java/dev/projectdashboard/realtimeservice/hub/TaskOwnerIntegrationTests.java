package dev.projectdashboard.realtimeservice.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.TwoReplicaTests;
import dev.projectdashboard.realtimeservice.history.RedisChannelOwners;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code task:{id}} belongs to the {@code user_id} of its events: recorded by the sequencer with the first one,
 * checked on subscribe and on every delivery, on both replicas.
 */
class TaskOwnerIntegrationTests extends TwoReplicaTests {

    private String owner;
    private String other;
    private String task;
    private String channel;

    @Override
    protected Function<RedisConnections, ChannelPolicy> policy() {
        return DeliveryFixture.claims();
    }

    @Override
    protected HubProperties properties() {
        return DeliveryFixture.hub("presence-namespaces=project,deployment,task");
    }

    @BeforeEach
    void names() {
        owner = DeliveryFixture.unique("owner");
        other = DeliveryFixture.unique("other");
        task = DeliveryFixture.unique("t");
        channel = "task:" + task;
    }

    private String log(String line) {
        return fixture.publishTaskLog(owner, task, line);
    }

    @Test
    void rejectsSubscriptionToAnotherUsersTaskOnceItsFirstEventNamedItsOwner() {
        log("first");
        awaitOwner(channel, owner);

        RecordingConnection intruder = b.connect(other);
        assertThatThrownBy(() -> b.subscribe(intruder, channel))
                .isInstanceOfSatisfying(RealtimeException.class, refusal -> assertThat(refusal.code())
                        .isEqualTo(RealtimeException.PERMISSION_DENIED));
        assertThat(b.hub.subscriptionsOf(intruder)).doesNotContain(ChannelName.parse(channel));

        RecordingConnection mine = a.connect(owner);
        assertThat(a.subscribe(mine, channel).offset()).isEqualTo(1);
        RecordingConnection admin =
                b.connect(new RecordingConnection(DeliveryFixture.unique("root"), Set.of("admin"), Set.of()));
        assertThat(b.subscribe(admin, channel).offset()).isEqualTo(1);
    }

    @Test
    void aSubscriptionMadeBeforeTheFirstEventEndsWhenTheTaskTurnsOutToBeSomeoneElses() {
        RecordingConnection early = a.connect(other);
        a.subscribe(early, channel);
        RecordingConnection mine = b.connect(owner);
        b.subscribe(mine, channel);
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> a.cluster
                                .presence(ChannelName.parse(channel))
                                .block(DeliveryFixture.WAIT)
                                .size()
                        == 2);

        String first = log("first");
        String second = log("second");

        await().atMost(DeliveryFixture.WAIT).until(() -> mine.eventIds().contains(second));
        assertThat(mine.eventIds()).containsExactly(first, second);
        await().atMost(DeliveryFixture.WAIT).until(() -> !early.revoked.isEmpty());
        assertThat(early.revoked).singleElement().satisfies(reason -> assertThat(reason.code())
                .isEqualTo(RealtimeException.PERMISSION_DENIED));
        assertThat(early.publications()).isEmpty();
        assertThat(a.hub.subscriptionsOf(early)).doesNotContain(ChannelName.parse(channel));
        // presence follows: only the owner is left on the task
        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(
                        a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::userId)
                .containsExactly(owner));
        assertThat(early.closed.get()).isNull();
    }

    @Test
    void theFirstEventsUserStaysTheOwnerAndEveryPositionCarriesIt() {
        log("first");
        awaitOwner(channel, owner);
        // a later event naming another user does not take the task over
        fixture.publishTaskLog(other, task, "x");
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> a.history
                                .read(ChannelName.parse(channel), null, 10)
                                .block(DeliveryFixture.WAIT)
                                .publications()
                                .size()
                        == 2);

        assertThat(new RedisChannelOwners(b.connections)
                        .ownerOf(ChannelName.parse(channel))
                        .block(DeliveryFixture.WAIT))
                .isEqualTo(owner);
        assertThat(a.history
                        .read(ChannelName.parse(channel), null, 10)
                        .block(DeliveryFixture.WAIT)
                        .publications())
                .allSatisfy(publication -> assertThat(publication.position())
                        .extracting(Position::owner)
                        .isEqualTo(owner));
        RecordingConnection intruder = a.connect(other);
        assertThatThrownBy(() -> a.subscribe(intruder, channel)).isInstanceOf(RealtimeException.class);
    }
}
