package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.localstack.LocalStackTest;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

@LocalStackTest
class RedisEventPublisherIntegrationTests {

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

    @Test
    void appendsTheEnvelopeAsTheEventFieldInPublishOrder() {
        List<String> ids = Flux.range(0, 20)
                .concatMap(n -> fixture.publisher.publish(stream, RedisFixture.event(n)))
                .collectList()
                .block(Duration.ofSeconds(10));

        List<StreamMessage<String, String>> entries = fixture.redis().xrange(stream, Range.create("-", "+"));
        assertThat(entries).extracting(StreamMessage::getId).containsExactlyElementsOf(ids);
        assertThat(entries).allSatisfy(entry -> assertThat(entry.getBody()).containsOnlyKeys(Streams.EVENT_FIELD));
        assertThat(entries.stream()
                        .map(entry -> fixture.codec.decode(entry.getBody().get(Streams.EVENT_FIELD))))
                .extracting(event -> event.data().get("message").asString())
                .containsExactlyElementsOf(
                        IntStream.range(0, 20).mapToObj(n -> "message " + n).toList());
        assertThat(fixture.count(EventBusMetrics.PUBLISHED, "stream", stream)).isEqualTo(20);
    }

    @Test
    void trimsEachStreamToItsApproximateMaxlen() {
        RedisEventPublisher small = new RedisEventPublisher(
                fixture.connections,
                fixture.codec,
                fixture.metrics,
                new PublisherOptions(Duration.ofSeconds(5), 100_000, Map.of(stream, 10L)));

        Flux.range(0, 400)
                .concatMap(n -> small.publish(stream, RedisFixture.event(n)))
                .blockLast(Duration.ofSeconds(20));

        // approximate trimming drops whole radix-tree nodes (100 entries each by default)
        assertThat(fixture.redis().xlen(stream)).isBetween(10L, 200L);
    }

    @Test
    void routesAnEventToTheStreamOfItsType() {
        CloudEvent<TaskProgress> event = CloudEvent.of(
                EventTypes.TASK_PROGRESS, "/tests", "task:t1", new TaskProgress("u", "t1", 5, 1, 2, null));
        String id = fixture.publisher.publish(event).block(Duration.ofSeconds(5));

        List<StreamMessage<String, String>> found = fixture.redis().xrange(Streams.TASKS, Range.create(id, id));
        assertThat(found).hasSize(1);
        assertThat(fixture.codec
                        .decode(found.get(0).getBody().get(Streams.EVENT_FIELD))
                        .id())
                .isEqualTo(event.id());
    }

    @Test
    void refusesAnEventTypeWithoutAStream() {
        StepVerifier.create(fixture.publisher.publish(CloudEvent.of("custom.thing", "/tests", null, Map.of())))
                .expectError(IllegalArgumentException.class)
                .verify(Duration.ofSeconds(5));
    }
}
