package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.localstack.LocalStackTest;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.models.stream.PendingMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Redis going away and coming back. The local-stack Redis persists its data (append-only file) like a production
 * Redis, so a restart keeps streams, groups and pending entries: these tests prove that readers which had not yet
 * read everything when Redis stopped get exactly the rest afterwards, that publishing while Redis is down errors
 * instead of dropping the event, and (deleting the stream before the restart) that a Redis which comes back without
 * a stream is noticed.
 */
@LocalStackTest
class RedisOutageIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Small reads: a slow reader then has at most two entries in memory, the rest stays in Redis. */
    private static final int READ_BATCH = 2;

    private RedisFixture fixture;
    private String stream;
    private Disposable subscription;

    @BeforeEach
    void setUp() {
        fixture = new RedisFixture(RedisFixture.fastOptions("batch-size=" + READ_BATCH, "in-flight=1"));
        stream = RedisFixture.uniqueStream();
    }

    @AfterEach
    void tearDown() {
        if (subscription != null) {
            subscription.dispose();
        }
        fixture.close();
    }

    @Test
    void publishingWhileRedisIsDownErrorsInsteadOfDropping() {
        fixture.publish(stream, 0);
        restartRedisAround(() -> StepVerifier.create(fixture.publisher.publish(stream, RedisFixture.event(1)))
                .expectError(EventBusUnavailableException.class)
                .verify(Duration.ofSeconds(10)));

        assertThat(fixture.count(EventBusMetrics.PUBLISH_FAILED, "stream", stream))
                .isEqualTo(1);
        assertThat(publishRetrying(2)).isNotBlank();
        assertThat(fixture.redis().xlen(stream)).isEqualTo(2);
    }

    @Test
    void tailerThatHadNotReadEverythingWhenRedisStoppedGetsExactlyTheRestAfterTheRestart() {
        List<String> ids = publishAll(0, 10);
        SlowReader reader = fixture.streams.tail(Map.of(stream, "0")).subscribeWith(new SlowReader());
        subscription = reader;
        reader.request(3);
        await().atMost(WAIT).until(() -> reader.received.size() == 3);

        // the reader has taken 0..2, the tailer holds at most one batch more: 5..9 are only in Redis
        restartRedisAround(() -> {});
        assertThat(fixture.redis().xlen(stream)).isEqualTo(10);
        List<String> afterRestart = new ArrayList<>(
                IntStream.range(10, 13).mapToObj(this::publishRetrying).toList());
        afterRestart.add(fixture.publish(stream, 13));
        reader.request(Long.MAX_VALUE);

        // 13 comes last: once it is there, a repeated or skipped earlier entry would be there too
        await().atMost(WAIT).until(() -> reader.numbers().contains(13));
        assertThat(reader.numbers())
                .containsExactlyElementsOf(IntStream.range(0, 14).boxed().toList());
        assertThat(reader.received.stream().map(StreamEntry::id))
                .containsExactlyElementsOf(
                        Stream.concat(ids.stream(), afterRestart.stream()).toList());
        assertThat(reader.error).isNull();
    }

    @Test
    void caughtUpTailerResumesAfterTheRestartWithoutReadingTheKeptStreamAgain() {
        List<StreamEntry> received = new CopyOnWriteArrayList<>();
        subscription = fixture.streams.tail(Map.of(stream, "0")).subscribe(received::add);
        publishAll(0, 5);
        await().atMost(WAIT).until(() -> received.size() == 5);

        // the tailer is blocked in XREAD when Redis stops: it fails, reconnects and must recognise the kept stream
        // as the one it was reading (a wrongly detected reset would read 0..4 again)
        restartRedisAround(() -> {});
        IntStream.range(5, 8).forEach(this::publishRetrying);
        fixture.publish(stream, 8);

        await().atMost(WAIT)
                .until(() -> received.stream().map(RedisFixture::number).anyMatch(n -> n == 8));
        assertThat(received.stream().map(RedisFixture::number))
                .containsExactlyElementsOf(IntStream.range(0, 9).boxed().toList());
    }

    @Test
    void groupConsumerHandlesAfterTheRestartWhatItHadNotAcknowledgedOrReadBefore() {
        List<String> ids = publishAll(0, 10);
        Sinks.Empty<Void> gate = Sinks.empty();
        List<Integer> started = new CopyOnWriteArrayList<>();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        fixture.streams
                .groupConsumer(
                        stream,
                        "group",
                        entry -> {
                            int n = RedisFixture.number(entry);
                            started.add(n);
                            // held until the test opens the gate, however long the restart takes
                            return gate.asMono().then(Mono.fromRunnable(() -> handled.add(n)));
                        },
                        patientOptions("a"))
                .start();
        await().atMost(WAIT).until(() -> started.contains(0));

        restartRedisAround(() -> {});
        // entry 0 was delivered before the stop and is still pending; entries after the read-ahead were never read
        assertThat(pending()).extracting(PendingMessage::getId).contains(ids.get(0));
        assertThat(pending().size()).isLessThan(10);
        assertThat(fixture.redis().xlen(stream)).isEqualTo(10);
        // publishing again also proves the shared connection is back, so the acknowledgements below get through
        IntStream.range(10, 13).forEach(this::publishRetrying);
        gate.tryEmitEmpty();

        await().atMost(WAIT).until(() -> handled.size() >= 13 && pending().isEmpty());
        // one entry in flight and no failure: stream order, each entry once
        assertThat(handled)
                .containsExactlyElementsOf(IntStream.range(0, 13).boxed().toList());
        assertThat(started).containsExactlyElementsOf(handled);
        assertThat(fixture.count(EventBusMetrics.CONSUMED, "stream", stream, "group", "group"))
                .isEqualTo(13);
    }

    @Test
    void entriesPendingWithAConsumerThatDidNotSurviveTheOutageAreClaimedAfterTheRestart() {
        List<String> receivedByVictim = new CopyOnWriteArrayList<>();
        GroupConsumer victim = fixture.streams
                .groupConsumer(
                        stream,
                        "group",
                        entry -> {
                            receivedByVictim.add(entry.id());
                            return Mono.never(); // never acknowledges
                        },
                        RedisFixture.fastOptions(
                                "consumer-name=victim", "group-start-id=0", "batch-size=20", "in-flight=20"))
                .start();
        List<String> ids = publishAll(0, 5);
        await().atMost(WAIT).until(() -> receivedByVictim.size() == 5);

        restartRedisAround(victim::dispose);
        Map<String, Long> handledBySurvivor = new ConcurrentHashMap<>();
        fixture.streams
                .groupConsumer(
                        stream,
                        "group",
                        entry -> Mono.fromRunnable(
                                () -> handledBySurvivor.merge(entry.id(), entry.deliveryCount(), Math::max)),
                        RedisFixture.fastOptions("consumer-name=survivor", "group-start-id=0"))
                .start();
        String afterRestart = publishRetrying(5);

        await().atMost(WAIT).untilAsserted(() -> assertThat(handledBySurvivor)
                .containsOnlyKeys(
                        Stream.concat(ids.stream(), Stream.of(afterRestart)).toList()));
        // the victim's entries came from the group's pending list, which survived the restart
        assertThat(ids).allSatisfy(id -> assertThat(handledBySurvivor.get(id)).isGreaterThanOrEqualTo(2));
        await().atMost(WAIT).until(() -> pending().isEmpty());
    }

    @Test
    void tailerNoticesARedisThatCameBackWithoutItsStreamAndReadsTheNewOneFromItsStart() {
        List<StreamEntry> received = new CopyOnWriteArrayList<>();
        subscription = fixture.streams.tail(stream).subscribe(received::add);
        AtomicInteger next = new AtomicInteger();
        await().atMost(WAIT).until(() -> {
            fixture.publish(stream, next.getAndIncrement());
            return !received.isEmpty();
        });
        int first = RedisFixture.number(received.get(0));
        // everything published before the stop has been read, in order
        await().atMost(WAIT).until(() -> received.size() == next.get() - first);
        int before = received.size();

        // the local-stack Redis keeps its data: deleting the stream first makes it come back without it, like a
        // Redis without persistence (or a flushed one) would
        fixture.redis().del(stream);
        restartRedisAround(() -> {});
        // ids lower than any seen before: the tailer must notice the reset instead of waiting for ids to catch up
        fixture.redis()
                .xadd(
                        stream,
                        new XAddArgs().id("1-1"),
                        Map.of("event", fixture.codec.encode(RedisFixture.event(1000))));
        IntStream.range(1001, 1004).forEach(this::publishRetrying);

        await().atMost(WAIT).until(() -> received.size() == before + 4);
        assertThat(received.subList(before, received.size()).stream().map(RedisFixture::number))
                .containsExactly(1000, 1001, 1002, 1003);
        assertThat(received.stream().map(StreamEntry::id)).doesNotHaveDuplicates();
    }

    @Test
    void groupConsumerRecreatesAGroupThatRedisLost() {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        fixture.streams
                .groupConsumer(
                        stream,
                        "group",
                        entry -> Mono.fromRunnable(() -> handled.add(RedisFixture.number(entry))),
                        RedisFixture.fastOptions("consumer-name=a", "group-start-id=0"))
                .start();
        fixture.publish(stream, 0);
        await().atMost(WAIT).until(() -> handled.contains(0));

        // the stream and its group are gone when Redis comes back (as without persistence)
        fixture.redis().del(stream);
        restartRedisAround(() -> {});
        IntStream.range(1, 4).forEach(this::publishRetrying);

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactlyInAnyOrder(0, 1, 2, 3));
        assertThat(fixture.redis().xinfoGroups(stream)).hasSize(1);
    }

    /** Nothing times out or is claimed while a handler waits at the gate. */
    private static ConsumerOptions patientOptions(String name) {
        return RedisFixture.fastOptions(
                "consumer-name=" + name,
                "group-start-id=0",
                "batch-size=" + READ_BATCH,
                "in-flight=1",
                "claim-idle=60s",
                "claim-interval=150ms",
                "handler-timeout=30s",
                "max-deliveries=3");
    }

    private List<PendingMessage> pending() {
        return fixture.redis().xpending(stream, "group", Range.create("-", "+"), Limit.from(100));
    }

    private List<String> publishAll(int from, int to) {
        return IntStream.range(from, to)
                .mapToObj(n -> fixture.publish(stream, n))
                .toList();
    }

    private void restartRedisAround(Runnable whileDown) {
        fixture.stack.stopRedis();
        try {
            whileDown.run();
        } finally {
            fixture.stack.startRedis();
        }
    }

    private String publishRetrying(int n) {
        return fixture.publisher
                .publish(stream, RedisFixture.event(n))
                .retryWhen(Retry.fixedDelay(200, Duration.ofMillis(100)))
                .block(WAIT);
    }

    /** Takes entries only when the test asks for them: a reader that is behind, without any sleeping. */
    private static final class SlowReader extends BaseSubscriber<StreamEntry> {

        final List<StreamEntry> received = new CopyOnWriteArrayList<>();
        volatile Throwable error;

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            // no demand until request()
        }

        @Override
        protected void hookOnNext(StreamEntry entry) {
            received.add(entry);
        }

        @Override
        protected void hookOnError(Throwable throwable) {
            error = throwable;
        }

        List<Integer> numbers() {
            return received.stream().map(RedisFixture::number).toList();
        }
    }
}
