package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.localstack.LocalStackExtension;
import io.lettuce.core.XAddArgs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

/**
 * Redis going away and coming back. The local-stack Redis runs without persistence, so a restarted Redis is empty:
 * these tests prove that readers reconnect, notice the reset streams and groups, and lose nothing written after
 * the restart, and that publishing while Redis is down errors instead of dropping the event.
 */
@ExtendWith(LocalStackExtension.class)
class RedisOutageIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private RedisFixture fixture;
    private String stream;
    private Disposable subscription;

    @BeforeEach
    void setUp() {
        fixture = new RedisFixture(RedisFixture.fastOptions());
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
    }

    @Test
    void tailerResumesAfterARestartAndReadsTheResetStreamFromItsStart() {
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
    void groupConsumerRecoversAfterARestartThatLostItsGroup() {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        fixture.streams
                .groupConsumer(
                        stream,
                        "group",
                        entry -> Mono.fromRunnable(() -> handled.add(RedisFixture.number(entry))),
                        RedisFixture.fastOptions().withConsumerName("a").withGroupStartId("0"))
                .start();
        fixture.publish(stream, 0);
        await().atMost(WAIT).until(() -> handled.contains(0));

        restartRedisAround(() -> {});
        IntStream.range(1, 4).forEach(this::publishRetrying);

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsExactlyInAnyOrder(0, 1, 2, 3));
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
}
