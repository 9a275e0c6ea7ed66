package dev.projectdashboard.realtimeservice.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.DeploymentLog;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.TwoReplicaTests;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code deployment:{id}} belongs to the {@code project} its events carry, and users read it only when their
 * {@code projects} claim lists that project: checked on subscribe and replay, on every delivery to a subscription made
 * before the project was known, and for join/leave, on both replicas.
 */
class DeploymentProjectIntegrationTests extends TwoReplicaTests {

    private String project;
    private String deployment;
    private String channel;

    @Override
    protected Function<RedisConnections, ChannelPolicy> policy() {
        return DeliveryFixture.claims();
    }

    @Override
    protected HubProperties properties() {
        return DeliveryFixture.hub("join-leave-namespaces=deployment");
    }

    @BeforeEach
    void names() {
        project = DeliveryFixture.unique("proj");
        deployment = DeliveryFixture.unique("d");
        channel = "deployment:" + deployment;
    }

    private String log(String inProject, String line) {
        CloudEvent<DeploymentLog> event = CloudEvent.of(
                EventTypes.DEPLOYMENT_LOG,
                "/tests",
                null,
                new DeploymentLog(inProject, deployment, "stream-1", "2024-01-01T12:00:30.000Z", "info", line, "ci"));
        fixture.publish(event);
        return event.id();
    }

    private RecordingConnection watcherOf(String... projects) {
        return new RecordingConnection(DeliveryFixture.unique("user"), Set.of("user"), Set.of(projects));
    }

    @Test
    void refusesSubscribeAndReplayOfADeploymentOfAProjectTheClaimDoesNotList() {
        log(project, "first");
        awaitOwner(channel, project);

        RecordingConnection outsider = b.connect(watcherOf("another-project"));
        for (Since since : new Since[] {null, new Since(0, "any")}) {
            assertThatThrownBy(() -> b.subscribe(outsider, channel, since))
                    .isInstanceOfSatisfying(RealtimeException.class, refusal -> assertThat(refusal.code())
                            .isEqualTo(RealtimeException.PERMISSION_DENIED));
        }
        assertThat(b.hub.subscriptionsOf(outsider)).doesNotContain(ChannelName.parse(channel));
        assertThat(outsider.publications()).isEmpty();

        RecordingConnection member = a.connect(watcherOf(project));
        Subscribed subscribed = a.subscribe(member, channel);
        assertThat(subscribed.offset()).isEqualTo(1);
        RecordingConnection recovering = a.connect(watcherOf(project));
        assertThat(a.subscribe(recovering, channel, new Since(0, subscribed.epoch()))
                        .replayed())
                .isEqualTo(1);
        RecordingConnection everything = b.connect(watcherOf("*"));
        assertThat(b.subscribe(everything, channel).offset()).isEqualTo(1);
    }

    @Test
    void aSubscriptionMadeBeforeTheProjectWasKnownGetsNothingOfAnotherProjectAndEnds() {
        RecordingConnection outsider = a.connect(watcherOf("another-project"));
        a.subscribe(outsider, channel);
        RecordingConnection member = b.connect(watcherOf(project));
        b.subscribe(member, channel);
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> a.cluster
                                .presence(ChannelName.parse(channel))
                                .block(DeliveryFixture.WAIT)
                                .size()
                        == 2);

        String first = log(project, "first");
        String second = log(project, "second");

        await().atMost(DeliveryFixture.WAIT).until(() -> member.eventIds().contains(second));
        assertThat(member.eventIds()).containsExactly(first, second);
        await().atMost(DeliveryFixture.WAIT).until(() -> !outsider.revoked.isEmpty());
        assertThat(outsider.revoked).singleElement().satisfies(reason -> assertThat(reason.code())
                .isEqualTo(RealtimeException.PERMISSION_DENIED));
        assertThat(outsider.publications()).isEmpty();
        assertThat(a.hub.subscriptionsOf(outsider)).doesNotContain(ChannelName.parse(channel));
        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(
                        a.cluster.presence(ChannelName.parse(channel)).block(DeliveryFixture.WAIT))
                .extracting(PresenceChange.ClientInfo::userId)
                .containsExactly(member.principal().userId()));
        assertThat(outsider.closed.get()).isNull();
    }

    @Test
    void eventsThatDoNotSayTheProjectWaitUntilOneDoes() {
        RecordingConnection member = a.connect(watcherOf(project));
        a.subscribe(member, channel);
        RecordingConnection everything = b.connect(watcherOf("*"));
        b.subscribe(everything, channel);

        String unclaimed = log(null, "no project yet");
        await().atMost(DeliveryFixture.WAIT).until(() -> everything.eventIds().contains(unclaimed));
        String claimed = log(project, "now it is known");

        await().atMost(DeliveryFixture.WAIT).until(() -> member.eventIds().contains(claimed));
        assertThat(member.eventIds()).containsExactly(claimed);
        assertThat(everything.eventIds()).containsExactly(unclaimed, claimed);
        assertThat(member.revoked).isEmpty();
    }

    @Test
    void joinAndLeaveReachOnlySubscribersWhoMayReadTheDeployment() {
        log(project, "first");
        awaitOwner(channel, project);
        RecordingConnection member = a.connect(watcherOf(project));
        a.subscribe(member, channel);
        String unknown = "deployment:" + DeliveryFixture.unique("later");
        RecordingConnection early = b.connect(watcherOf("another-project"));
        b.subscribe(early, unknown);

        RecordingConnection joining = b.connect(watcherOf(project));
        b.subscribe(joining, channel);
        b.subscribe(joining, unknown);

        await().atMost(DeliveryFixture.WAIT).until(() -> member.presence.stream()
                .anyMatch(change -> change.info().connectionId().equals(joining.id())));
        // the member's join went out before the joining one's: a round trip later the early one has had its chance
        RecordingConnection last = a.connect(watcherOf(project));
        a.subscribe(last, channel);
        await().atMost(DeliveryFixture.WAIT).until(() -> member.presence.stream()
                .anyMatch(change -> change.info().connectionId().equals(last.id())));
        assertThat(early.presence).isEmpty();
    }
}
