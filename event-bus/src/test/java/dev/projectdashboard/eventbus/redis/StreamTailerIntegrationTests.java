package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.localstack.LocalStackTest;
import io.lettuce.core.KillArgs;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.util.retry.Retry;

@LocalStackTest
class StreamTailerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(20);

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
    void deliversOnlyEntriesAddedAfterSubscribingInStreamOrder() {
        fixture.publish(stream, 0);
        List<Integer> received = new CopyOnWriteArrayList<>();
        subscription = fixture.streams.tail(stream).map(RedisFixture::number).subscribe(received::add);

        AtomicInteger next = new AtomicInteger(1);
        // the tailer resolves "$" asynchronously: publish until it reports the first entry
        await().atMost(WAIT).until(() -> {
            fixture.publish(stream, next.getAndIncrement());
            return !received.isEmpty();
        });
        int first = received.get(0);
        IntStream.range(0, 20).forEach(n -> fixture.publish(stream, next.getAndIncrement()));

        await().atMost(WAIT).until(() -> received.size() == next.get() - first);
        assertThat(received).doesNotContain(0);
        assertThat(received)
                .containsExactlyElementsOf(
                        IntStream.range(first, next.get()).boxed().toList());
    }

    @Test
    void readsRetainedEntriesAfterAGivenIdThenNewOnes() {
        List<String> ids =
                IntStream.range(0, 10).mapToObj(n -> fixture.publish(stream, n)).toList();

        StepVerifier.create(fixture.streams.tail(Map.of(stream, ids.get(4))).map(RedisFixture::number))
                .expectNext(5, 6, 7, 8, 9)
                .then(() -> fixture.publisher
                        .publish(stream, RedisFixture.event(10))
                        .subscribe())
                .expectNext(10)
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void handsABacklogOnInBatchesOfAtMostTheBatchSizeInStreamOrder() {
        fixture.close();
        fixture = new RedisFixture(RedisFixture.fastOptions("batch-size=8", "in-flight=16"));
        IntStream.range(0, 20).forEach(n -> fixture.publish(stream, n));

        StepVerifier.create(fixture.streams.tailBatches(Map.of(stream, "0")))
                .recordWith(CopyOnWriteArrayList::new)
                // one read per 8 entries: 8, 8 and the last 4
                .expectNextCount(3)
                .consumeRecordedWith(batches -> {
                    assertThat(batches)
                            .allSatisfy(batch -> assertThat(batch).isNotEmpty().hasSizeLessThanOrEqualTo(8));
                    assertThat(batches.stream().flatMap(List::stream).map(RedisFixture::number))
                            .containsExactlyElementsOf(
                                    IntStream.range(0, 20).boxed().toList());
                })
                .then(() -> fixture.publish(stream, 20))
                .assertNext(batch -> assertThat(batch)
                        .singleElement()
                        .extracting(RedisFixture::number)
                        .isEqualTo(20))
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void tailsSeveralStreamsOnOneSubscription() {
        String other = RedisFixture.uniqueStream();
        IntStream.range(0, 3).forEach(n -> fixture.publish(stream, n));
        IntStream.range(10, 13).forEach(n -> fixture.publish(other, n));
        Map<String, String> from = new LinkedHashMap<>();
        from.put(stream, "0");
        from.put(other, "0");

        StepVerifier.create(fixture.streams.tail(from))
                .recordWith(CopyOnWriteArrayList::new)
                .expectNextCount(6)
                .consumeRecordedWith(entries -> {
                    assertThat(entries.stream()
                                    .filter(e -> e.stream().equals(stream))
                                    .map(RedisFixture::number))
                            .containsExactly(0, 1, 2);
                    assertThat(entries.stream()
                                    .filter(e -> e.stream().equals(other))
                                    .map(RedisFixture::number))
                            .containsExactly(10, 11, 12);
                })
                .thenCancel()
                .verify(WAIT);
    }

    @Test
    void resumesAfterItsConnectionIsKilledWithoutLosingOrRepeatingEntries() {
        List<StreamEntry> received = new CopyOnWriteArrayList<>();
        subscription = fixture.streams.tail(Map.of(stream, "0")).subscribe(received::add);
        IntStream.range(0, 5).forEach(n -> fixture.publish(stream, n));
        await().atMost(WAIT).until(() -> received.size() == 5);

        // drops every client connection, the tailer's and the publisher's included
        fixture.redis().clientKill(KillArgs.Builder.typeNormal());
        IntStream.range(5, 10).forEach(this::publishRetrying);

        await().atMost(WAIT).until(() -> received.size() >= 10);
        assertThat(received.stream().map(RedisFixture::number))
                .containsExactlyElementsOf(IntStream.range(0, 10).boxed().toList());
        assertThat(fixture.count(EventBusMetrics.CONSUMED, "stream", stream, "group", EventBusMetrics.TAIL_GROUP))
                .isEqualTo(10);
    }

    @Test
    void skipsAnUndecodableEntryAndGoesOn() {
        fixture.redis().xadd(stream, Map.of("event", "{broken"));
        fixture.publish(stream, 1);

        StepVerifier.create(fixture.streams.tail(Map.of(stream, "0")).map(RedisFixture::number))
                .expectNext(1)
                .thenCancel()
                .verify(WAIT);
        assertThat(fixture.count(EventBusMetrics.FAILED, "stream", stream, "group", EventBusMetrics.TAIL_GROUP))
                .isEqualTo(1);
    }

    private void publishRetrying(int n) {
        fixture.publisher
                .publish(stream, RedisFixture.event(n))
                .retryWhen(Retry.fixedDelay(100, Duration.ofMillis(100)))
                .block(WAIT);
    }
}
