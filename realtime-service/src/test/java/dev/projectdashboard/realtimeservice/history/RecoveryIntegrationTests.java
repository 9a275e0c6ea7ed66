package dev.projectdashboard.realtimeservice.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.hub.History;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.Since;
import dev.projectdashboard.realtimeservice.hub.Subscribed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Subscribing with a position: every missed publication in order, or none and {@code recovered=false}. */
@LocalStackTest
class RecoveryIntegrationTests {

    private static final int HISTORY_SIZE = 5;

    private DeliveryFixture fixture;
    private Replica replica;
    private String task;
    private String channel;

    @BeforeEach
    void start() {
        fixture = new DeliveryFixture();
        replica = fixture.replica("r", DeliveryFixture.hub("history-size=" + HISTORY_SIZE, "history-ttl=5m"))
                .start();
        task = DeliveryFixture.unique("t");
        channel = "task:" + task;
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private void publish(int from, int to) {
        for (int i = from; i <= to; i++) {
            fixture.publish(CloudEvent.of(
                    EventTypes.TASK_PROGRESS, "/tests", null, new TaskProgress(null, task, i, i, 1000, "n" + i)));
        }
    }

    private void awaitTop(long top) {
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> replica.history
                                .read(ChannelName.parse(channel), null, 1)
                                .block(DeliveryFixture.WAIT)
                                .offset()
                        == top);
    }

    @Test
    void recoveryAfterAGapReplaysExactlyTheMissedPublicationsInOrder() {
        RecordingConnection first = replica.connect(DeliveryFixture.unique("u"));
        replica.subscribe(first, channel);
        publish(1, 2);
        await().atMost(DeliveryFixture.WAIT).until(() -> first.offsets(channel).size() == 2);
        Publication last = first.publications(channel).get(1);
        replica.hub.unregister(first).block(DeliveryFixture.WAIT);

        publish(3, 5);
        awaitTop(5);
        RecordingConnection again = replica.connect(DeliveryFixture.unique("u"));
        Subscribed subscribed = replica.subscribe(again, channel, new Since(last.offset(), last.epoch()));

        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.recoverable()).isTrue();
        assertThat(subscribed.replayed()).isEqualTo(3);
        assertThat(subscribed.offset()).isEqualTo(5);
        assertThat(subscribed.epoch()).isEqualTo(last.epoch());
        // the subscribed answer first, then the replay, in order
        assertThat(again.log.get(0)).isEqualTo(subscribed);
        assertThat(again.offsets(channel)).containsExactly(3L, 4L, 5L);
        assertThat(again.publications(channel))
                .extracting(Publication::dataJson)
                .allSatisfy(json -> assertThat(json).contains("\"task_id\":\"" + task + "\""));
        assertThat(replica.registry
                        .get("dashboard.realtime.recoveries")
                        .tag("result", "ok")
                        .counter()
                        .count())
                .isEqualTo(1);

        publish(6, 6);
        await().atMost(DeliveryFixture.WAIT).until(() -> again.offsets(channel).size() == 4);
        assertThat(again.offsets(channel)).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void aSubscriberOfAChannelWithoutPublicationsCanRecoverWithTheEpochItWasGiven() {
        RecordingConnection connection = replica.connect(DeliveryFixture.unique("u"));
        Subscribed fresh = replica.subscribe(connection, channel);
        assertThat(fresh.epoch()).isNotEmpty();
        assertThat(fresh.offset()).isZero();
        publish(1, 1);
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> connection.offsets(channel).size() == 1);
        assertThat(connection.publications(channel).get(0).epoch()).isEqualTo(fresh.epoch());
        replica.hub.unregister(connection).block(DeliveryFixture.WAIT);
        publish(2, 2);
        awaitTop(2);

        RecordingConnection back = replica.connect(DeliveryFixture.unique("u"));
        Subscribed recovered = replica.subscribe(back, channel, new Since(1, fresh.epoch()));

        assertThat(recovered.recovered()).isTrue();
        assertThat(back.offsets(channel)).containsExactly(2L);
    }

    @Test
    void nothingMissedIsRecoveredWithNothingReplayed() {
        publish(1, 2);
        awaitTop(2);
        String epoch = replica.history
                .read(ChannelName.parse(channel), null, 1)
                .block(DeliveryFixture.WAIT)
                .epoch();
        RecordingConnection connection = replica.connect(DeliveryFixture.unique("u"));

        Subscribed subscribed = replica.subscribe(connection, channel, new Since(2, epoch));

        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.replayed()).isZero();
        assertThat(connection.publications(channel)).isEmpty();
    }

    @Test
    void notRecoveredOnceTheMissedPublicationsWereTrimmed() {
        publish(1, 2);
        awaitTop(2);
        String epoch = replica.history
                .read(ChannelName.parse(channel), null, 1)
                .block(DeliveryFixture.WAIT)
                .epoch();
        publish(3, 2 + HISTORY_SIZE + 1); // offset 2 and 3 fall out of a history of 5
        awaitTop(2 + HISTORY_SIZE + 1);
        RecordingConnection connection = replica.connect(DeliveryFixture.unique("u"));

        Subscribed subscribed = replica.subscribe(connection, channel, new Since(1, epoch));

        assertThat(subscribed.recovered()).isFalse();
        assertThat(subscribed.replayed()).isZero();
        assertThat(subscribed.offset()).isEqualTo(2 + HISTORY_SIZE + 1);
        assertThat(connection.publications(channel)).isEmpty();
        assertThat(replica.registry
                        .get("dashboard.realtime.recoveries")
                        .tag("result", "failed")
                        .counter()
                        .count())
                .isEqualTo(1);
        // a position still inside the history recovers
        Subscribed inside = replica.subscribe(connection, channel, new Since(3, epoch));
        assertThat(inside.recovered()).isTrue();
        assertThat(connection.offsets(channel)).containsExactly(4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void notRecoveredWhenTheEpochChanged() {
        publish(1, 3);
        awaitTop(3);
        RecordingConnection connection = replica.connect(DeliveryFixture.unique("u"));

        Subscribed subscribed = replica.subscribe(connection, channel, new Since(1, "another-epoch"));

        assertThat(subscribed.recovered()).isFalse();
        assertThat(subscribed.replayed()).isZero();
        assertThat(connection.publications(channel)).isEmpty();
    }

    @Test
    void historyReadsNewestOrSinceAnOffset() {
        publish(1, 4);
        awaitTop(4);
        History.Page newest =
                replica.history.read(ChannelName.parse(channel), null, 2).block(DeliveryFixture.WAIT);
        assertThat(newest.publications()).extracting(Publication::offset).containsExactly(3L, 4L);
        assertThat(newest.complete()).isFalse();
        History.Page since =
                replica.history.read(ChannelName.parse(channel), 1L, 10).block(DeliveryFixture.WAIT);
        assertThat(since.publications()).extracting(Publication::offset).containsExactly(2L, 3L, 4L);
        assertThat(since.complete()).isTrue();
        assertThat(since.epoch()).isEqualTo(newest.epoch()).isNotEmpty();
    }

    @Test
    void recoveryWhileAPublisherHammersTheChannelLosesAndDuplicatesNothing() {
        // replicas sequencing the same stream must agree on the history size: the small one steps aside
        replica.kill();
        HubProperties roomy = DeliveryFixture.hub("history-size=1000", "history-ttl=5m");
        Replica big = fixture.replica("big", roomy).start();
        Replica other = fixture.replica("other", roomy).start();
        int total = 400;
        RecordingConnection before = big.connect(DeliveryFixture.unique("u"));
        big.subscribe(before, channel);

        CompletableFuture<Void> hammering = CompletableFuture.runAsync(() -> publish(1, total));
        await().atMost(DeliveryFixture.WAIT).until(() -> before.offsets(channel).size() >= 50);
        // the client drops and comes back (on another replica) while publications keep coming
        big.hub.unregister(before).block(DeliveryFixture.WAIT);
        List<Publication> seen = new ArrayList<>(before.publications(channel));
        Publication last = seen.get(seen.size() - 1);
        RecordingConnection after = other.connect(DeliveryFixture.unique("u"));
        Subscribed subscribed = other.subscribe(after, channel, new Since(last.offset(), last.epoch()));
        // and resubscribes once more on the same connection mid-stream: still nothing twice
        Subscribed again = other.subscribe(after, channel, null);
        hammering.join();

        assertThat(subscribed.recovered()).isTrue();
        assertThat(again.recovered()).isFalse();
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> seen.size() + after.offsets(channel).size() >= total);
        List<Long> all = new ArrayList<>(seen.stream().map(Publication::offset).toList());
        all.addAll(after.offsets(channel));
        assertThat(all)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(after.closed.get()).isNull();
    }
}
