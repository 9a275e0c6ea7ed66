package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.eventbus.EventHandler;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.localstack.LocalStackTest;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

@LocalStackTest
class GroupConsumerIntegrationTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private RedisFixture fixture;
    private String stream;

    @BeforeEach
    void setUp() {
        fixture = new RedisFixture(RedisFixture.fastOptions());
        stream = RedisFixture.uniqueStream();
    }

    @AfterEach
    void tearDown() {
        fixture.close();
    }

    private ConsumerOptions options(String name, String... settings) {
        // "0": the test may publish before the asynchronously created group exists
        List<String> all = new ArrayList<>(List.of("consumer-name=" + name, "group-start-id=0"));
        all.addAll(List.of(settings));
        return RedisFixture.fastOptions(all.toArray(String[]::new));
    }

    private GroupConsumer start(String name, ConsumerOptions options, EventHandler handler) {
        return fixture.streams.groupConsumer(stream, "group", handler, options).start();
    }

    private long pendingCount() {
        return fixture.redis().xpending(stream, "group").getCount();
    }

    @Test
    void handlesEveryEntryExactlyOnceAcrossTheGroup() {
        Map<String, List<String>> handledBy = new ConcurrentHashMap<>();
        EventHandler a = entry -> record(handledBy, entry, "a");
        EventHandler b = entry -> record(handledBy, entry, "b");
        start("a", options("a", "batch-size=5", "in-flight=4"), a);
        start("b", options("b", "batch-size=5", "in-flight=4"), b);

        List<String> ids =
                IntStream.range(0, 60).mapToObj(n -> fixture.publish(stream, n)).toList();

        await().atMost(WAIT).untilAsserted(() -> assertThat(handledBy).containsOnlyKeys(ids));
        await().atMost(WAIT).until(() -> pendingCount() == 0);
        assertThat(handledBy.values())
                .allSatisfy(consumers -> assertThat(consumers).hasSize(1));
        assertThat(fixture.count(EventBusMetrics.CONSUMED, "stream", stream, "group", "group"))
                .isEqualTo(60);
    }

    @Test
    void keepsStreamOrderWithOneEntryInFlight() {
        List<Integer> handled = new CopyOnWriteArrayList<>();
        start(
                "a",
                options("a", "batch-size=10", "in-flight=1"),
                entry -> Mono.fromRunnable(() -> handled.add(RedisFixture.number(entry))));

        IntStream.range(0, 30).forEach(n -> fixture.publish(stream, n));

        await().atMost(WAIT).until(() -> handled.size() == 30);
        assertThat(handled)
                .containsExactlyElementsOf(IntStream.range(0, 30).boxed().toList());
    }

    @Test
    void entriesOfAKilledConsumerAreClaimedAndHandledByAnother() {
        List<String> receivedByVictim = new CopyOnWriteArrayList<>();
        GroupConsumer victim = start("victim", options("victim", "batch-size=20", "in-flight=20"), entry -> {
            receivedByVictim.add(entry.id());
            return Mono.never(); // dies mid-batch: nothing is ever acknowledged
        });
        List<String> ids =
                IntStream.range(0, 10).mapToObj(n -> fixture.publish(stream, n)).toList();
        await().atMost(WAIT).until(() -> receivedByVictim.size() == 10);
        victim.dispose();

        Map<String, Long> handledBySurvivor = new ConcurrentHashMap<>();
        start(
                "survivor",
                options("survivor"),
                entry ->
                        Mono.fromRunnable(() -> handledBySurvivor.merge(entry.id(), entry.deliveryCount(), Math::max)));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handledBySurvivor).containsOnlyKeys(ids));
        assertThat(handledBySurvivor.values())
                .allSatisfy(count -> assertThat(count).isGreaterThanOrEqualTo(2));
        await().atMost(WAIT).until(() -> pendingCount() == 0);
    }

    @Test
    void poisonEntriesGoToTheDeadStreamAfterMaxDeliveriesAndAreAcknowledged() {
        AtomicInteger poisonAttempts = new AtomicInteger();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        start("a", options("a"), entry -> {
            int n = RedisFixture.number(entry);
            if (n == 2) {
                poisonAttempts.incrementAndGet();
                return Mono.error(new IllegalStateException("cannot handle " + n));
            }
            return Mono.fromRunnable(() -> handled.add(n));
        });

        List<String> ids =
                IntStream.range(0, 5).mapToObj(n -> fixture.publish(stream, n)).toList();
        String poisonId = ids.get(2);

        await().atMost(WAIT).until(() -> deadLetterOf(poisonId) != null);
        Map<String, String> dead = deadLetterOf(poisonId).getBody();
        assertThat(dead)
                .containsEntry("stream", stream)
                .containsEntry("id", poisonId)
                .containsEntry("group", "group")
                .containsEntry("consumer", "a")
                .containsEntry("deliveries", "3");
        assertThat(dead.get("error")).contains("cannot handle 2");
        String original = fixture.redis()
                .xrange(stream, io.lettuce.core.Range.create(poisonId, poisonId))
                .get(0)
                .getBody()
                .get(Streams.EVENT_FIELD);
        assertThat(dead.get(Streams.EVENT_FIELD)).isEqualTo(original);
        assertThat(poisonAttempts).hasValue(3);
        await().atMost(WAIT).until(() -> pendingCount() == 0);
        assertThat(handled).containsExactlyInAnyOrder(0, 1, 3, 4);
        assertThat(fixture.count(EventBusMetrics.DEAD_LETTERED, "stream", stream, "group", "group"))
                .isEqualTo(1);
        assertThat(fixture.count(EventBusMetrics.FAILED, "stream", stream, "group", "group"))
                .isEqualTo(3);
        assertThat(fixture.count(EventBusMetrics.CONSUMED, "stream", stream, "group", "group"))
                .isEqualTo(4);
    }

    @Test
    void aHandlerErrorDoesNotEndTheSubscription() {
        Map<Integer, Long> handled = new ConcurrentHashMap<>();
        Map<Integer, Boolean> failedOnce = new ConcurrentHashMap<>();
        start("a", options("a"), entry -> {
            int n = RedisFixture.number(entry);
            if (failedOnce.putIfAbsent(n, Boolean.TRUE) == null) {
                throw new IllegalArgumentException("first delivery of " + n + " fails"); // thrown, not signalled
            }
            return Mono.fromRunnable(() -> handled.put(n, entry.deliveryCount()));
        });

        IntStream.range(0, 3).forEach(n -> fixture.publish(stream, n));
        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsOnlyKeys(0, 1, 2));
        IntStream.range(3, 6).forEach(n -> fixture.publish(stream, n));

        await().atMost(WAIT).untilAsserted(() -> assertThat(handled).containsOnlyKeys(0, 1, 2, 3, 4, 5));
        assertThat(handled.values()).allSatisfy(count -> assertThat(count).isEqualTo(2));
    }

    @Test
    void anUndecodableEntryIsDeadLetteredAtOnce() {
        List<String> handled = new CopyOnWriteArrayList<>();
        start("a", options("a"), entry -> Mono.fromRunnable(() -> handled.add(entry.id())));

        String bad = fixture.redis().xadd(stream, Map.of(Streams.EVENT_FIELD, "{not json"));
        String good = fixture.publish(stream, 1);

        await().atMost(WAIT).until(() -> deadLetterOf(bad) != null);
        assertThat(deadLetterOf(bad).getBody())
                .containsEntry("deliveries", "1")
                .containsEntry(Streams.EVENT_FIELD, "{not json");
        await().atMost(WAIT).until(() -> handled.contains(good));
        assertThat(handled).doesNotContain(bad);
        await().atMost(WAIT).until(() -> pendingCount() == 0);
    }

    @Test
    void closeWaitsForTheHandlersInFlight() {
        List<Integer> started = new CopyOnWriteArrayList<>();
        List<Integer> finished = new CopyOnWriteArrayList<>();
        GroupConsumer consumer = start("a", options("a"), entry -> {
            int n = RedisFixture.number(entry);
            started.add(n);
            return Mono.delay(Duration.ofMillis(300)).then(Mono.fromRunnable(() -> finished.add(n)));
        });
        IntStream.range(0, 3).forEach(n -> fixture.publish(stream, n));
        await().atMost(WAIT).until(() -> started.size() == 3);

        consumer.close();

        assertThat(finished).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(pendingCount()).isZero();
    }

    @Test
    void reportsPendingAndLagGauges() {
        ConsumerOptions slow = RedisFixture.defaultOptions(
                "consumer-name=a",
                "group-start-id=0",
                "batch-size=2",
                "in-flight=2",
                "block-timeout=200ms",
                "gauge-interval=100ms");
        GroupConsumer consumer = start("a", slow, entry -> Mono.never());

        IntStream.range(0, 20).forEach(n -> fixture.publish(stream, n));

        await().atMost(WAIT).untilAsserted(() -> {
            double pending = gauge(EventBusMetrics.PENDING);
            double lag = gauge(EventBusMetrics.LAG);
            assertThat(pending).isPositive();
            assertThat(lag).isPositive();
            assertThat(pending + lag).isEqualTo(20);
            assertThat(pending).isEqualTo(pendingCount());
        });
        consumer.dispose(); // its handlers never complete: do not wait for them
        assertThat(fixture.registry
                        .find(EventBusMetrics.PENDING)
                        .tags("stream", stream)
                        .gauge())
                .isNull();
    }

    private double gauge(String name) {
        var gauge = fixture.registry
                .find(name)
                .tags("stream", stream, "group", "group")
                .gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private StreamMessage<String, String> deadLetterOf(String id) {
        List<StreamMessage<String, String>> dead =
                new ArrayList<>(fixture.redis().xrange(Streams.DEAD, io.lettuce.core.Range.create("-", "+")));
        Collections.reverse(dead);
        return dead.stream()
                .filter(m -> stream.equals(m.getBody().get("stream"))
                        && id.equals(m.getBody().get("id")))
                .findFirst()
                .orElse(null);
    }

    private static Mono<Void> record(Map<String, List<String>> handledBy, StreamEntry entry, String consumer) {
        return Mono.fromRunnable(() -> handledBy
                .computeIfAbsent(entry.id(), id -> new CopyOnWriteArrayList<>())
                .add(consumer));
    }
}
