package dev.projectdashboard.realtimeservice.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.hub.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Batches of events sequenced by one Lua call: exactly once per event, offsets in order, even with replicas racing. */
class SequencerBatchIntegrationTests extends TwoReplicaTests {

    private static final EventCodec CODEC = new EventCodec();

    @Test
    void aBatchKeepsTheOffsetsOfAnEventAnotherReplicaSequencedFirst() {
        String task = DeliveryFixture.unique("t");
        String stream = DeliveryFixture.unique("stream");
        StreamEntry first = entry(stream, "100-0", task, 1);
        StreamEntry second = entry(stream, "100-1", task, 2);
        StreamEntry third = entry(stream, "100-2", task, 3);

        Sequencer.Result early = a.sequencer
                .sequence(second.stream(), second.id(), second.event())
                .block(DeliveryFixture.WAIT);
        List<Sequencer.Result> batch =
                b.sequencer.sequence(List.of(first, second, third)).block(DeliveryFixture.WAIT);

        assertThat(early.duplicate()).isFalse();
        assertThat(offset(early, "task:" + task)).isEqualTo(1);
        assertThat(batch).hasSize(3);
        assertThat(batch.get(1).duplicate()).isTrue();
        assertThat(batch.get(1).fanoutId()).isEqualTo(early.fanoutId());
        assertThat(batch.get(1).positions()).isEqualTo(early.positions());
        assertThat(batch.get(0).duplicate()).isFalse();
        assertThat(batch.get(2).duplicate()).isFalse();
        assertThat(offset(batch.get(0), "task:" + task)).isEqualTo(2);
        assertThat(offset(batch.get(2), "task:" + task)).isEqualTo(3);
        // one epoch for the channel, whichever call created it
        assertThat(batch)
                .allSatisfy(result -> assertThat(result.positions().get(0).epoch())
                        .isEqualTo(early.positions().get(0).epoch()));

        History.Page page = a.history.read(ChannelName.of("task", task), 0L, 10).block(DeliveryFixture.WAIT);
        assertThat(page.publications())
                .extracting(Publication::eventId)
                .containsExactly(
                        second.event().id(), first.event().id(), third.event().id());
        assertThat(page.offset()).isEqualTo(3);
        // the position only moves forward: the batch's newest entry, not the one sequenced alone
        assertThat(position(stream)).isEqualTo("100-2");
        // a repeated batch changes nothing
        List<Sequencer.Result> again =
                a.sequencer.sequence(List.of(first, second, third)).block(DeliveryFixture.WAIT);
        assertThat(again).allSatisfy(result -> assertThat(result.duplicate()).isTrue());
        assertThat(again.get(0).positions()).isEqualTo(batch.get(0).positions());
        assertThat(again.get(2).positions()).isEqualTo(batch.get(2).positions());
    }

    @Test
    void aReadLargerThanOneCallIsSequencedInOrderAcrossCalls() {
        String task = DeliveryFixture.unique("t");
        String stream = DeliveryFixture.unique("stream");
        List<StreamEntry> read = new ArrayList<>();
        for (int i = 1; i <= Sequencer.BATCH * 2 + 5; i++) {
            read.add(entry(stream, "300-" + i, task, i));
        }

        List<Sequencer.Sequenced> calls =
                a.sequencer.inOrder(Flux.just(read)).collectList().block(DeliveryFixture.WAIT);

        assertThat(calls)
                .extracting(call -> call.results().size())
                .containsExactly(Sequencer.BATCH, Sequencer.BATCH, 5);
        List<Long> offsets = calls.stream()
                .flatMap(call -> call.results().stream())
                .map(result -> offset(result, "task:" + task))
                .toList();
        assertThat(offsets)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, read.size()).boxed().toList());
        assertThat(position(stream)).isEqualTo("300-" + read.size());
    }

    @Test
    void aRedisRestartWhileCallsAreInFlightLosesAndRepeatsNothing() {
        String task = DeliveryFixture.unique("t");
        String channel = "task:" + task;
        RecordingConnection viewer = b.connect(DeliveryFixture.unique("viewer"));
        b.subscribe(viewer, channel);
        List<CloudEvent<TaskProgress>> burst = new ArrayList<>();
        for (int i = 1; i <= 6_000; i++) {
            burst.add(progress(task, i));
        }
        List<String> ids = new ArrayList<>(burst.stream().map(CloudEvent::id).toList());
        // Redis stops right after a backlog is written at once, while the sequencers are still working through it
        fixture.publishBacklog(burst);
        LocalStackExtension.localStack().stopRedis();
        LocalStackExtension.localStack().startRedis();
        for (int i = burst.size() + 1; i <= burst.size() + 20; i++) {
            CloudEvent<TaskProgress> event = progress(task, i);
            ids.add(event.id());
            await().atMost(DeliveryFixture.WAIT).ignoreExceptions().until(() -> fixture.publish(event) != null);
        }

        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(viewer.offsets(channel)).hasSize(ids.size()));
        assertThat(viewer.offsets(channel))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, ids.size()).boxed().toList());
        assertThat(viewer.publications(channel))
                .extracting(Publication::eventId)
                .containsExactlyElementsOf(ids);
    }

    @Test
    void twoReplicasRacingOverTheSameEventsGiveEachOffsetOnce() {
        String task = DeliveryFixture.unique("t");
        String stream = DeliveryFixture.unique("stream");
        String channel = "task:" + task;
        RecordingConnection viewer = a.connect(DeliveryFixture.unique("viewer"));
        a.subscribe(viewer, channel);
        int count = 1_000;
        List<StreamEntry> events = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            events.add(entry(stream, "200-" + i, task, i));
        }

        // different batch sizes, so the replicas' batches overlap partly and each meets the other's events
        Mono<List<Sequencer.Result>> onA = race(a, events, 64);
        Mono<List<Sequencer.Result>> onB = race(b, events, 37);
        var both = Mono.zip(onA, onB).block(Duration.ofSeconds(30));

        List<Sequencer.Result> fromA = both.getT1();
        List<Sequencer.Result> fromB = both.getT2();
        assertThat(fromA).hasSize(count);
        assertThat(fromB).hasSize(count);
        Map<Long, Integer> owners = new HashMap<>();
        for (int i = 0; i < count; i++) {
            // both replicas got the same answer for every event: one sequencing, read by the other
            assertThat(fromB.get(i).positions()).isEqualTo(fromA.get(i).positions());
            assertThat(fromA.get(i).fanoutId()).isEqualTo(fromB.get(i).fanoutId());
            assertThat(fromA.get(i).duplicate() && fromB.get(i).duplicate()).isFalse();
            // offsets follow the stream: event i got offset i
            assertThat(offset(fromA.get(i), channel)).isEqualTo(i + 1);
            owners.merge(offset(fromA.get(i), channel), 1, Integer::sum);
        }
        assertThat(owners).hasSize(count).allSatisfy((offset, times) -> assertThat(times)
                .isOne());
        assertThat(position(stream)).isEqualTo("200-" + count);

        // one fan-out entry per event: the subscriber sees each offset once, in order
        List<Long> expected = LongStream.rangeClosed(1, count).boxed().toList();
        await().atMost(DeliveryFixture.WAIT)
                .untilAsserted(() -> assertThat(viewer.offsets(channel)).hasSize(count));
        assertThat(viewer.offsets(channel)).containsExactlyElementsOf(expected);
        assertThat(viewer.publications(channel))
                .extracting(Publication::eventId)
                .containsExactlyElementsOf(
                        events.stream().map(e -> e.event().id()).toList());
    }

    private static Mono<List<Sequencer.Result>> race(Replica replica, List<StreamEntry> events, int batchSize) {
        // the replica's own loop, fed batches of another size than the other replica's, a little apart, so that
        // their batches overlap partly
        return replica.sequencer
                .inOrder(Flux.fromIterable(events)
                        .buffer(batchSize)
                        .concatMap(batch -> Mono.just(batch).delayElement(Duration.ofMillis(2)), 1))
                .flatMapIterable(Sequencer.Sequenced::results)
                .collectList();
    }

    private static CloudEvent<TaskProgress> progress(String task, int n) {
        return CloudEvent.of(
                EventTypes.TASK_PROGRESS,
                "/tests",
                null,
                new TaskProgress(DeliveryFixture.unique("owner"), task, n, n, 1000, "frame " + n));
    }

    private static StreamEntry entry(String stream, String id, String task, int n) {
        CloudEvent<TaskProgress> event = CloudEvent.of(
                EventTypes.TASK_PROGRESS,
                "/tests",
                null,
                new TaskProgress(DeliveryFixture.unique("owner"), task, n, n, 1000, "frame " + n));
        return new StreamEntry(stream, id, CODEC.decode(CODEC.encode(event)), 1);
    }

    private static long offset(Sequencer.Result result, String channel) {
        return result.positions().stream()
                .filter(position -> position.channel().equals(channel))
                .findFirst()
                .orElseThrow()
                .offset();
    }

    private String position(String stream) {
        return a.connections
                .commands()
                .flatMap(redis -> redis.get(Sequencer.POSITION_PREFIX + stream))
                .block(DeliveryFixture.WAIT);
    }
}
