package dev.projectdashboard.realtimeservice.hub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.Replica;
import dev.projectdashboard.realtimeservice.fanout.TwoReplicaTests;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An event published on several channels of one connection (a task's {@code task:{id}} and its owner's {@code
 * user:{id}}) reaches it once, named after one channel with the others in {@code also}, and recovery with {@code
 * since} on either channel neither repeats nor skips it. Two replicas sequence the stream; connections sit on both.
 */
class OneFramePerEventIntegrationTests extends TwoReplicaTests {

    private String owner;
    private String task;
    private String taskChannel;
    private String userChannel;

    @BeforeEach
    void names() {
        owner = DeliveryFixture.unique("owner");
        task = DeliveryFixture.unique("t");
        taskChannel = "task:" + task;
        userChannel = "user:" + owner;
    }

    /** A task event of the owner: published on task:{task} and user:{owner}. */
    private String log(String line) {
        return fixture.publishTaskLog(owner, task, line);
    }

    /** A task event without user: published on task:{task} only. */
    private String anonymousLog(String line) {
        return fixture.publishTaskLog(null, task, line);
    }

    /** A notification to the owner: published on user:{owner} only. */
    private String notification(String title) {
        CloudEvent<Notification> event = CloudEvent.of(
                EventTypes.NOTIFICATION, "/tests", null, new Notification(owner, title, "m", "info", null));
        fixture.publish(event);
        return event.id();
    }

    private String epoch(String channel) {
        return a.history
                .read(ChannelName.parse(channel), null, 1)
                .block(DeliveryFixture.WAIT)
                .epoch();
    }

    private void awaitTop(String channel, long top) {
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> a.history
                                .read(ChannelName.parse(channel), null, 1)
                                .block(DeliveryFixture.WAIT)
                                .offset()
                        == top);
    }

    @Test
    void anEventOnTheTaskAndItsOwnersChannelReachesASubscriberOfBothOnceWithBothPositions() {
        RecordingConnection both = a.connect(owner);
        a.subscribe(both, taskChannel);
        RecordingConnection personalOnly = b.connect(owner);

        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            ids.add(log("line " + i));
        }

        await().atMost(DeliveryFixture.WAIT).until(() -> both.publications().size() >= 20);
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> personalOnly.publications().size() >= 20);
        // a marker after them: anything sent twice would have come before it
        String marker = notification("marker");
        await().atMost(DeliveryFixture.WAIT).until(() -> both.eventIds().contains(marker));

        List<String> expected = new ArrayList<>(ids);
        expected.add(marker);
        assertThat(both.eventIds()).containsExactlyElementsOf(expected);
        List<Long> oneToTwenty = LongStream.rangeClosed(1, 20).boxed().toList();
        // named after the task channel (the first of the event's channels), the owner's channel beside it
        assertThat(both.offsets(taskChannel)).containsExactlyElementsOf(oneToTwenty);
        assertThat(both.publications(taskChannel)).allSatisfy(publication -> assertThat(publication.also())
                .extracting(Position::channel)
                .containsExactly(userChannel));
        assertThat(both.positionsSeen(userChannel))
                .containsExactlyElementsOf(LongStream.rangeClosed(1, 21).boxed().toList());
        // a connection with only one of the channels gets the plain frames
        assertThat(personalOnly.offsets(userChannel)).startsWith(oneToTwenty.toArray(Long[]::new));
        assertThat(personalOnly.publications())
                .allSatisfy(publication -> assertThat(publication.also()).isEmpty());
        assertThat(both.closed.get()).isNull();
    }

    @Test
    void aReplayDoesNotResendWhatTheConnectionGotThroughAnotherChannelAndSkipsNothingElse() {
        RecordingConnection connection = b.connect(owner);
        String first = log("1");
        String taskOnly = anonymousLog("2");
        String third = log("3");
        await().atMost(DeliveryFixture.WAIT).until(() -> connection.eventIds().equals(List.of(first, third)));
        awaitTop(taskChannel, 3);

        // the client learns of the task now and recovers it from its start
        Subscribed subscribed = b.subscribe(connection, taskChannel, new Since(0, epoch(taskChannel)));

        assertThat(subscribed.recovered()).isTrue();
        assertThat(subscribed.offset()).isEqualTo(3);
        // the two events it had through user:{owner} are not sent again; the one it did not have is
        assertThat(subscribed.replayed()).isEqualTo(1);
        assertThat(connection.eventIds()).containsExactly(first, third, taskOnly);
        assertThat(connection.publications(taskChannel)).singleElement().satisfies(publication -> {
            assertThat(publication.offset()).isEqualTo(2);
            assertThat(publication.also()).isEmpty();
        });

        String fourth = log("4");
        await().atMost(DeliveryFixture.WAIT).until(() -> connection.eventIds().contains(fourth));
        Publication live = connection.publications().get(3);
        assertThat(live.channel()).isEqualTo(taskChannel);
        assertThat(live.offset()).isEqualTo(4);
        assertThat(live.also())
                .containsExactly(new Position(userChannel, 3, live.also().get(0).epoch()));
        assertThat(connection.eventIds()).containsExactly(first, third, taskOnly, fourth);
    }

    @Test
    void aReconnectRecoveringBothChannelsNeitherRepeatsNorSkipsWhicheverComesFirst() {
        for (boolean taskFirst : List.of(true, false)) {
            names();
            RecordingConnection before = a.connect(owner);
            a.subscribe(before, taskChannel);
            String one = log("1");
            String two = log("2");
            await().atMost(DeliveryFixture.WAIT).until(() -> before.eventIds().equals(List.of(one, two)));
            // what a client keeps: the last offset of each channel, named or in also
            long taskSeen = last(before.positionsSeen(taskChannel));
            long userSeen = last(before.positionsSeen(userChannel));
            a.hub.unregister(before).block(DeliveryFixture.WAIT);

            String three = log("3");
            String taskOnly = anonymousLog("4");
            String personal = notification("5");
            awaitTop(taskChannel, 4);
            awaitTop(userChannel, 4);

            RecordingConnection after = b.connect(owner);
            List<Subscribed> answers = recoverBoth(after, taskFirst, taskSeen, userSeen);

            String order = taskFirst ? "task channel recovered first" : "user channel recovered first";
            assertThat(after.eventIds()).as(order).containsExactlyInAnyOrder(three, taskOnly, personal);
            // the client's position in each channel ends at the channel's top (an event it got through the other
            // channel before subscribing this one is covered by the subscribed offset); no offset comes twice
            for (String channel : List.of(taskChannel, userChannel)) {
                assertThat(after.positionsSeen(channel)).as(order).doesNotHaveDuplicates();
            }
            assertThat(answers)
                    .allSatisfy(answer -> assertThat(answer.recovered()).isTrue());
            assertThat(clientPosition(after, answers, taskChannel)).as(order).isEqualTo(4);
            assertThat(clientPosition(after, answers, userChannel)).as(order).isEqualTo(4);

            // and a later recovery from what the client learned replays nothing: no repeat, nothing skipped
            long taskNow = clientPosition(after, answers, taskChannel);
            long userNow = clientPosition(after, answers, userChannel);
            b.hub.unregister(after).block(DeliveryFixture.WAIT);
            RecordingConnection later = a.connect(owner);
            List<Subscribed> again = recoverBoth(later, !taskFirst, taskNow, userNow);
            assertThat(again).allSatisfy(answer -> {
                assertThat(answer.recovered()).isTrue();
                assertThat(answer.replayed()).isZero();
            });
            assertThat(later.publications()).as(order).isEmpty();
        }
    }

    private List<Subscribed> recoverBoth(RecordingConnection connection, boolean taskFirst, long task, long user) {
        Since taskSince = new Since(task, epoch(taskChannel));
        Since userSince = new Since(user, epoch(userChannel));
        Replica replica = replicaOf(connection);
        List<Subscribed> answers = new ArrayList<>();
        if (taskFirst) {
            answers.add(replica.subscribe(connection, taskChannel, taskSince));
            answers.add(replica.subscribe(connection, userChannel, userSince));
        } else {
            answers.add(replica.subscribe(connection, userChannel, userSince));
            answers.add(replica.subscribe(connection, taskChannel, taskSince));
        }
        return answers;
    }

    private Replica replicaOf(RecordingConnection connection) {
        return a.hub.connectionsOf(owner).contains(connection) ? a : b;
    }

    /** Where a client stands in a channel: the subscribed answer's offset, or a later frame's. */
    private static long clientPosition(RecordingConnection connection, List<Subscribed> answers, String channel) {
        long position = answers.stream()
                .filter(answer -> answer.channel().equals(channel))
                .mapToLong(Subscribed::offset)
                .max()
                .orElse(0);
        for (long seen : connection.positionsSeen(channel)) {
            position = Math.max(position, seen);
        }
        return position;
    }

    @Test
    void recoveringOneChannelWhileEventsPourInOnBothDeliversEachOnceAndNoChannelGoesBackwards() {
        int total = 300;
        RecordingConnection connection = b.connect(owner);
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int i = 1; i <= total; i++) {
                log("line " + i);
            }
        });
        await().atMost(DeliveryFixture.WAIT)
                .until(() -> connection.publications().size() >= 30);

        b.subscribe(connection, taskChannel, new Since(0, epoch(taskChannel)));
        publishing.join();

        await().atMost(DeliveryFixture.WAIT)
                .until(() -> connection.positionsSeen(userChannel).size() >= total);
        assertThat(connection.eventIds()).doesNotHaveDuplicates().hasSize(total);
        assertThat(connection.positionsSeen(userChannel))
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, total).boxed().toList());
        List<Long> taskPositions = connection.positionsSeen(taskChannel);
        assertThat(taskPositions).isNotEmpty().isSorted().doesNotHaveDuplicates();
        assertThat(last(taskPositions)).isEqualTo(total);
        assertThat(connection.closed.get()).isNull();
    }

    private static long last(List<Long> offsets) {
        return offsets.get(offsets.size() - 1);
    }
}
