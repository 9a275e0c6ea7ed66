package dev.projectdashboard.realtimeservice.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.eventbus.payload.TaskLog;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hub's own rules: personal channels, the subscription limit, the policy, unsubscribe, the gauge. */
@LocalStackTest
class LocalHubIntegrationTests {

    private DeliveryFixture fixture;
    private Replica replica;

    @BeforeEach
    void start() {
        fixture = new DeliveryFixture();
        replica = fixture.replica(
                        "r",
                        DeliveryFixture.hub("max-connections-per-user=10", "max-subscriptions-per-connection=4"),
                        DeliveryFixture.projectsClaim())
                .start();
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void personalChannelsAreSubscribedOnRegister() {
        String user = DeliveryFixture.unique("u");
        RecordingConnection connection = replica.connect(user);

        assertThat(replica.hub.subscriptionsOf(connection))
                .containsExactlyInAnyOrder(ChannelName.of("user", user), ChannelName.SYSTEM_NOTIFICATIONS);
        fixture.publish(CloudEvent.of(
                EventTypes.NOTIFICATION, "/tests", null, new Notification(user, "Hi", "there", "info", null)));
        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(connection.publications("user:" + user))
                .hasSize(1));
        assertThat(connection.publications("user:" + user).get(0).offset()).isEqualTo(1);
    }

    @Test
    void subscriptionLimitCountsPersonalChannelsAndRefusesWith106() {
        RecordingConnection connection = replica.connect(DeliveryFixture.unique("u"));
        replica.subscribe(connection, "task:" + DeliveryFixture.unique("t"));
        String kept = "task:" + DeliveryFixture.unique("t");
        replica.subscribe(connection, kept);

        assertThatThrownBy(() -> replica.subscribe(connection, "task:" + DeliveryFixture.unique("t")))
                .isInstanceOfSatisfying(
                        RealtimeException.class, e -> assertThat(e.code()).isEqualTo(RealtimeException.LIMIT_EXCEEDED));
        // re-subscribing to a channel it already has is not a new subscription
        assertThat(replica.subscribe(connection, kept).channel()).isEqualTo(kept);
        assertThat(replica.registry
                        .get("dashboard.realtime.subscriptions")
                        .gauge()
                        .value())
                .isEqualTo(4);
    }

    @Test
    void policyRefusalSubscribesNothing() {
        RecordingConnection outsider = new RecordingConnection(DeliveryFixture.unique("u"), Set.of(), Set.of("mine"));
        replica.hub.register(outsider).block(DeliveryFixture.WAIT);
        boolean[] answered = {false};

        assertThatThrownBy(() -> replica.hub
                        .subscribe(outsider, ChannelName.parse("project:theirs"), null, s -> answered[0] = true)
                        .block(DeliveryFixture.WAIT))
                .isInstanceOfSatisfying(RealtimeException.class, e -> assertThat(e.code())
                        .isEqualTo(RealtimeException.PERMISSION_DENIED));
        assertThat(answered[0]).isFalse();
        assertThat(replica.hub.subscriptionsOf(outsider)).doesNotContain(ChannelName.parse("project:theirs"));
        assertThat(replica.subscribe(outsider, "project:mine").recoverable()).isTrue();
    }

    @Test
    void unsubscribedAndUnregisteredConnectionsGetNothingMore() {
        String task = DeliveryFixture.unique("t");
        RecordingConnection leaving = replica.connect(DeliveryFixture.unique("u"));
        RecordingConnection closing = replica.connect(DeliveryFixture.unique("u"));
        RecordingConnection staying = replica.connect(DeliveryFixture.unique("u"));
        for (RecordingConnection connection : new RecordingConnection[] {leaving, closing, staying}) {
            replica.subscribe(connection, "task:" + task);
        }
        replica.hub.unsubscribe(leaving, ChannelName.of("task", task));
        replica.hub.unregister(closing).block(DeliveryFixture.WAIT);
        replica.hub.unregister(closing).block(DeliveryFixture.WAIT); // idempotent

        fixture.publish(CloudEvent.of(EventTypes.TASK_LOG, "/tests", null, new TaskLog(null, task, "info", "x")));

        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(staying.publications("task:" + task))
                .hasSize(1));
        assertThat(leaving.publications("task:" + task)).isEmpty();
        assertThat(closing.publications("task:" + task)).isEmpty();
        assertThat(replica.hub.size()).isEqualTo(2);
    }
}
