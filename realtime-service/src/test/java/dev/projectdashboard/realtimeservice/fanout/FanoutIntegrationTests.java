package dev.projectdashboard.realtimeservice.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.DeploymentLog;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.History;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Two replicas on one Redis: every publication sequenced once and delivered once per connection, in order. */
class FanoutIntegrationTests extends TwoReplicaTests {

    @Test
    void bothReplicasDeliverEveryPublicationOnceInOffsetOrder() {
        String task = DeliveryFixture.unique("t");
        String owner = DeliveryFixture.unique("owner");
        RecordingConnection onA = a.connect(DeliveryFixture.unique("viewer"));
        RecordingConnection onB = b.connect(DeliveryFixture.unique("viewer"));
        RecordingConnection ownerOnB = b.connect(owner);
        a.subscribe(onA, "task:" + task);
        b.subscribe(onB, "task:" + task);

        int count = 150;
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            CloudEvent<TaskProgress> event = CloudEvent.of(
                    EventTypes.TASK_PROGRESS, "/tests", null, new TaskProgress(owner, task, i, i, count, "frame " + i));
            ids.add(event.id());
            fixture.publish(event);
        }

        List<Long> expected = LongStream.rangeClosed(1, count).boxed().toList();
        for (RecordingConnection connection : List.of(onA, onB)) {
            await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(connection.offsets("task:" + task))
                    .hasSize(count));
            assertThat(connection.offsets("task:" + task)).containsExactlyElementsOf(expected);
            assertThat(connection.publications("task:" + task))
                    .extracting(Publication::eventId)
                    .containsExactlyElementsOf(ids);
            assertThat(connection.closed.get()).isNull();
        }
        // the owner's personal channel got its own offsets, auto-subscribed on register
        await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(ownerOnB.offsets("user:" + owner))
                .containsExactlyElementsOf(expected));
        Publication first = onA.publications("task:" + task).get(0);
        assertThat(first.type()).isEqualTo("task.progress");
        assertThat(first.dataJson()).contains("\"task_id\":\"" + task + "\"").contains("\"progress\":1");
    }

    @Test
    void anEventSeenByBothReplicasIsSequencedOnce() {
        String project = DeliveryFixture.unique("p");
        String deployment = DeliveryFixture.unique("d");
        CloudEvent<JsonNode> event = new EventCodec()
                .decode(new EventCodec()
                        .encode(CloudEvent.of(
                                EventTypes.DEPLOYMENT_LOG,
                                "/tests",
                                null,
                                new DeploymentLog(
                                        project, deployment, "s1", "2024-01-01T00:00:00Z", "info", "hello", "build"))));

        Sequencer.Result first = a.sequencer.sequence(event).block(DeliveryFixture.WAIT);
        Sequencer.Result second = b.sequencer.sequence(event).block(DeliveryFixture.WAIT);

        assertThat(first.duplicate()).isFalse();
        assertThat(second.duplicate()).isTrue();
        assertThat(second.fanoutId()).isEqualTo(first.fanoutId());
        assertThat(second.positions()).isEqualTo(first.positions());
        assertThat(first.positions())
                .extracting(Position::channel, Position::offset)
                .containsExactly(tuple("project:" + project, 1L), tuple("deployment:" + deployment, 1L));
        History.Page page =
                a.history.read(ChannelName.of("project", project), null, 10).block(DeliveryFixture.WAIT);
        assertThat(page.publications()).hasSize(1);
        assertThat(page.offset()).isEqualTo(1);
    }

    @Test
    void forcedDisconnectReachesTheOtherReplicasConnections() {
        String user = DeliveryFixture.unique("kicked");
        RecordingConnection onA = a.connect(user);
        RecordingConnection bystander = a.connect(DeliveryFixture.unique("other"));

        Long counted = b.cluster.disconnectUser(user).block(DeliveryFixture.WAIT);

        assertThat(counted).isEqualTo(1);
        await().atMost(DeliveryFixture.WAIT)
                .untilAsserted(() -> assertThat(onA.closed.get()).isEqualTo(CloseReason.FORCED));
        assertThat(bystander.closed.get()).isNull();
    }

    @Test
    void ephemeralPublicationReachesSubscribersWithOffsetZeroAndStaysOutOfHistory() {
        String channel = "project:" + DeliveryFixture.unique("p");
        RecordingConnection onA = a.connect(DeliveryFixture.unique("typist"));
        RecordingConnection onB = b.connect(DeliveryFixture.unique("reader"));
        a.subscribe(onA, channel);
        b.subscribe(onB, channel);

        a.cluster
                .publishEphemeral(ChannelName.parse(channel), "typing", "{\"user\":\"x\",\"n\":1.5}")
                .block(DeliveryFixture.WAIT);

        for (RecordingConnection connection : List.of(onA, onB)) {
            await().atMost(DeliveryFixture.WAIT).untilAsserted(() -> assertThat(connection.publications(channel))
                    .hasSize(1));
            Publication publication = connection.publications(channel).get(0);
            assertThat(publication.offset()).isZero();
            assertThat(publication.type()).isEqualTo("typing");
            assertThat(publication.dataJson()).isEqualTo("{\"user\":\"x\",\"n\":1.5}");
        }
        History.Page page = b.history.read(ChannelName.parse(channel), null, 10).block(DeliveryFixture.WAIT);
        assertThat(page.publications()).isEmpty();
        assertThat(page.offset()).isZero();
    }

    @Test
    void eventsAddedWhileEveryReplicaWasDownAreSequencedByTheNextOne() {
        String task = DeliveryFixture.unique("t");
        RecordingConnection onA = a.connect(DeliveryFixture.unique("viewer"));
        a.subscribe(onA, "task:" + task);
        fixture.publish(progress(task, 1));
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> onA.offsets("task:" + task).size() == 1);

        a.kill();
        b.kill();
        fixture.publish(progress(task, 2));
        fixture.publish(progress(task, 3));
        Replica c = fixture.replica("c", DeliveryFixture.hub()).start();

        await().atMost(DeliveryFixture.WAIT)
                .until(
                        () -> c
                                .history
                                .read(ChannelName.of("task", task), 0L, 10)
                                .block(DeliveryFixture.WAIT)
                                .publications()
                                .stream()
                                .map(Publication::offset)
                                .toList()
                                .equals(List.of(1L, 2L, 3L)));
    }

    private static CloudEvent<TaskProgress> progress(String task, int n) {
        return CloudEvent.of(EventTypes.TASK_PROGRESS, "/tests", null, new TaskProgress(null, task, n, n, 10, null));
    }

    @Test
    void eventsOfNoChannelAreNotSequenced() {
        CloudEvent<JsonNode> event = new EventCodec()
                .decode("{\"specversion\":\"1.0\",\"id\":\"" + CloudEvent.newId()
                        + "\",\"source\":\"/t\",\"type\":\"webhook.delivered\",\"data\":{\"webhook_id\":\"w\"}}");
        assertThat(a.sequencer.sequence(event).blockOptional(DeliveryFixture.WAIT))
                .isEmpty();
    }
}
