package dev.projectdashboard.realtimeservice.hub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture;
import dev.projectdashboard.realtimeservice.fanout.DeliveryFixture.RecordingConnection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/**
 * The order in which one connection gets publications when live ones, held ones and a replay meet, driven by hand:
 * the interleavings a real fan-out produces only by chance.
 */
class SubscriberTests {

    private static final String TASK = "task:t";
    private static final String USER = "user:u";
    private static final String EPOCH = "e1";

    private final RecordingConnection connection = new RecordingConnection("u", Set.of(), Set.of());
    private final Subscriber subscriber = new Subscriber(connection, DeliveryFixture.permissive(), gone -> {});
    private final List<Subscribed> answers = new ArrayList<>();

    private static Publication event(String id, Position... positions) {
        return new Publication(positions[0], "task.log", id, Instant.now(), "{}", List.of(positions));
    }

    private static Position task(long offset) {
        return new Position(TASK, offset, EPOCH);
    }

    private static Position user(long offset) {
        return new Position(USER, offset, EPOCH);
    }

    private Subscriber.Begun begin(String channel) {
        return subscriber.begin(ChannelName.parse(channel), 16);
    }

    private void finishRecovered(Subscriber.Begun begun, long since, long top, Publication... replay) {
        subscriber.finish(begun, EPOCH, top, "", true, new Since(since, EPOCH), true, List.of(replay), this::answered);
    }

    /** What a session does with the answer: writes it ahead of the replay. */
    private void answered(Subscribed subscribed) {
        answers.add(subscribed);
        connection.log.add(subscribed);
    }

    @Test
    void aReplayStopsWhereAnotherChannelIsBehindAndTheRestComesLiveInEveryChannelsOrder() {
        subscriber.addLive(ChannelName.parse(USER));
        subscriber.offer(event("a", task(1), user(1)).named(user(1), List.of()));
        subscriber.offer(event("b", user(2)));
        Subscriber.Begun begun = begin(TASK);
        // while the task's history is read: a notification (user 3), then a task event (task 2, user 4)
        Publication notification = event("c", user(3));
        Publication taskEvent = event("d", task(2), user(4));
        subscriber.offer(notification);
        subscriber.offer(taskEvent);
        subscriber.offer(taskEvent); // offered again through its second channel

        // the task's history has a (had through user:) and d, whose user position (4) is ahead of what user: gave
        finishRecovered(begun, 0, 2, event("a", task(1), user(1)), event("d", task(2), user(4)));

        assertThat(answers).singleElement().satisfies(answer -> {
            assertThat(answer.recovered()).isTrue();
            assertThat(answer.replayed()).isZero();
        });
        assertThat(connection.eventIds()).containsExactly("a", "b", "c", "d");
        assertThat(connection.positionsSeen(USER)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(connection.positionsSeen(TASK)).containsExactly(2L);
        Publication last = connection.publications().get(3);
        assertThat(last.position()).isEqualTo(task(2));
        assertThat(last.also()).containsExactly(user(4));
    }

    @Test
    void aChannelStartedAtItsTopDoesNotHideAnEventFromBeforeThatArrivesThroughAnotherChannel() {
        subscriber.addLive(ChannelName.parse(USER));
        Subscriber.Begun begun = begin(TASK);
        // sequenced before the task's history was read (so at or below its top), dispatched after the holding began
        subscriber.offer(event("a", task(5), user(1)));
        subscriber.finish(begun, EPOCH, 5, "", true, null, false, List.of(), this::answered);

        assertThat(connection.publications()).singleElement().satisfies(publication -> {
            assertThat(publication.position()).isEqualTo(user(1));
            assertThat(publication.also()).isEmpty();
        });
        subscriber.offer(event("b", task(6), user(2)));
        assertThat(connection.publications().get(1).position()).isEqualTo(task(6));
        assertThat(connection.publications().get(1).also()).containsExactly(user(2));
    }

    @Test
    void liveFramesWaitForAnotherChannelsSubscribeSoItsReplayComesFirst() {
        subscriber.addLive(ChannelName.parse(USER));
        Subscriber.Begun begun = begin(TASK);
        subscriber.offer(event("live", user(1)));
        assertThat(connection.publications()).isEmpty();

        finishRecovered(begun, 0, 1, event("old", task(1)));

        assertThat(answers.get(0).replayed()).isEqualTo(1);
        assertThat(connection.log.get(0)).isEqualTo(answers.get(0));
        assertThat(connection.eventIds()).containsExactly("old", "live");
    }

    @Test
    void recoveringAPersonalChannelAfterTheConnectDoesNotResendWhatItDeliveredSince() {
        subscriber.addLive(ChannelName.parse(USER));
        // delivered live between the connect and the client's subscribe with since
        subscriber.offer(event("a", user(4)));
        subscriber.offer(event("b", user(5)));

        Subscriber.Begun begun = begin(USER);
        finishRecovered(begun, 2, 5, event("missed", user(3)), event("a", user(4)), event("b", user(5)));

        assertThat(answers.get(0).replayed()).isEqualTo(1);
        assertThat(connection.eventIds()).containsExactly("a", "b", "missed");
        subscriber.offer(event("c", user(6)));
        assertThat(connection.eventIds()).containsExactly("a", "b", "missed", "c");
        assertThat(connection.closed.get()).isNull();
    }

    @Test
    void aPublicationThatSkipsAnOffsetClosesTheConnectionToRecover() {
        subscriber.addLive(ChannelName.parse(USER));
        subscriber.offer(event("a", user(1)));
        subscriber.offer(event("c", user(3)));

        assertThat(connection.closed.get()).isEqualTo(CloseReason.INSUFFICIENT_STATE);
        assertThat(connection.eventIds()).containsExactly("a");
        subscriber.offer(event("d", user(4)));
        assertThat(connection.eventIds()).containsExactly("a");
    }

    @Test
    void aReplayOfSomeoneElsesTaskRefusesTheSubscribeWithoutSendingAnything() {
        List<List<Subscription>> revoked = new ArrayList<>();
        Subscriber owned = new Subscriber(connection, ownersOnly(), revoked::add);
        owned.addLive(ChannelName.parse(USER));
        Subscriber.Begun begun = owned.begin(ChannelName.parse(TASK), 16);
        // the owner was not known when the policy let the subscribe through; the history says it is "someone"
        Position someones = new Position(TASK, 1, EPOCH, "someone");

        Subscribed answer = owned.finish(
                begun,
                EPOCH,
                1,
                "",
                true,
                new Since(0, EPOCH),
                true,
                List.of(event("theirs", someones)),
                this::answered);

        assertThat(answer).isNull();
        assertThat(answers).isEmpty();
        assertThat(connection.publications()).isEmpty();
        assertThat(owned.channels()).containsExactly(ChannelName.parse(USER));
        // a live event of that task finds no subscription any more
        owned.offer(event("later", new Position(TASK, 2, EPOCH, "someone")));
        assertThat(connection.publications()).isEmpty();
        assertThat(revoked).isEmpty();
    }

    @Test
    void aLiveEventOfSomeoneElsesTaskEndsTheSubscriptionAndTheOwnersChannelsKeepFlowing() {
        List<List<Subscription>> revoked = new ArrayList<>();
        Subscriber owned = new Subscriber(connection, ownersOnly(), revoked::add);
        owned.addLive(ChannelName.parse(USER));
        owned.addLive(ChannelName.parse(TASK));

        owned.offer(event("theirs", new Position(TASK, 1, EPOCH, "someone")));
        owned.offer(event("mine", new Position(USER, 1, EPOCH)));

        assertThat(revoked).singleElement().satisfies(gone -> assertThat(gone)
                .extracting(subscription -> subscription.name)
                .containsExactly(TASK));
        assertThat(connection.eventIds()).containsExactly("mine");
    }

    /** Tasks are their owner's: the rule of the claims policy, without Redis. */
    private static ChannelPolicy ownersOnly() {
        ChannelPolicy permissive = DeliveryFixture.permissive();
        return new ChannelPolicy() {
            @Override
            public Mono<Void> authorizeSubscribe(Reader reader, ChannelName channel) {
                return permissive.authorizeSubscribe(reader, channel);
            }

            @Override
            public Mono<Void> authorizePublish(Reader reader, ChannelName channel) {
                return permissive.authorizePublish(reader, channel);
            }

            @Override
            public Delivery delivery(Reader reader, Position position) {
                return position.owner().isEmpty() || position.owner().equals(reader.userId())
                        ? Delivery.DELIVER
                        : Delivery.REVOKE;
            }
        };
    }

    @Test
    void anUnsubscribeDuringASubscribeLetsTheHeldPublicationsGo() {
        subscriber.addLive(ChannelName.parse(USER));
        Subscriber.Begun begun = begin(TASK);
        subscriber.offer(event("a", user(1)));

        subscriber.remove(TASK);
        finishRecovered(begun, 0, 0);

        assertThat(connection.eventIds()).containsExactly("a");
        assertThat(answers).isEmpty();
        assertThat(subscriber.channels()).containsExactly(ChannelName.parse(USER));
    }
}
