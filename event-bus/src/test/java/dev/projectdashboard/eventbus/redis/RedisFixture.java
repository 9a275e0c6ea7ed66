package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.autoconfigure.EventBusProperties;
import dev.projectdashboard.eventbus.payload.TaskLog;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

/**
 * Event bus parts wired against the local-stack Redis, plus a plain synchronous connection for the test's own
 * checks (used only from the test thread, never from a Reactor thread).
 */
final class RedisFixture implements AutoCloseable {

    final LocalStack stack = LocalStackExtension.localStack();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EventCodec codec = new EventCodec();
    final EventBusMetrics metrics = new EventBusMetrics(registry);
    final ClientResources resources = RedisConnections.clientResources();
    final RedisClient client = RedisConnections.createClient(resources, stack.redisUri(), Duration.ofSeconds(5));
    final RedisConnections connections = new RedisConnections(client, stack.redisUri(), Duration.ofSeconds(5));
    final PublisherOptions publisherOptions = EventBusProperties.bind().publisherOptions();
    final RedisEventPublisher publisher = new RedisEventPublisher(connections, codec, metrics, publisherOptions);
    final EventStreams streams;
    private final RedisClient checkClient = RedisClient.create(stack.redisUri());
    private StatefulRedisConnection<String, String> check;

    RedisFixture(ConsumerOptions defaults) {
        streams = new EventStreams(connections, codec, metrics, defaults, publisherOptions);
    }

    /** Fast timings so claims, retries and dead-lettering happen within a test. */
    private static final List<String> FAST = List.of(
            "block-timeout=200ms",
            "gauge-interval=200ms",
            "claim-idle=600ms",
            "claim-interval=150ms",
            "handler-timeout=500ms",
            "max-deliveries=3");

    /**
     * Consumer options bound from {@code dashboard.event-bus.consumer.*} names, as the application binds them: the
     * fast timings above, then {@code settings} (e.g. {@code "batch-size=5"}) over them.
     */
    static ConsumerOptions fastOptions(String... settings) {
        return bound(Stream.concat(FAST.stream(), Arrays.stream(settings)))
                .consumer()
                .toOptions();
    }

    /** The application's defaults with {@code settings} over them, without the fast timings. */
    static ConsumerOptions defaultOptions(String... settings) {
        return bound(Arrays.stream(settings)).consumer().toOptions();
    }

    private static EventBusProperties bound(Stream<String> consumerSettings) {
        return EventBusProperties.bind(
                consumerSettings.map(setting -> "consumer." + setting).toArray(String[]::new));
    }

    static String uniqueStream() {
        return "test:" + UUID.randomUUID();
    }

    static CloudEvent<TaskLog> event(int n) {
        return CloudEvent.of(EventTypes.TASK_LOG, "/tests", "task:t", new TaskLog("u1", "t", "info", "message " + n));
    }

    static int number(dev.projectdashboard.eventbus.StreamEntry entry) {
        String message = entry.event().data().get("message").asString();
        return Integer.parseInt(message.substring("message ".length()));
    }

    /**
     * Synchronous commands for assertions; reconnects after a Redis restart. Connecting is retried for a while: on a
     * starved CI machine one connect failed once ("Unable to connect") with Redis up before and after it, and the
     * test's own check connection is not what the tests are about.
     */
    RedisCommands<String, String> redis() {
        if (check == null || !check.isOpen()) {
            check = Awaitility.await("the test's check connection to Redis")
                    .atMost(Duration.ofSeconds(30))
                    .ignoreException(RedisConnectionException.class)
                    .until(checkClient::connect, Objects::nonNull);
        }
        return check.sync();
    }

    String publish(String stream, int n) {
        return publisher.publish(stream, event(n)).block(Duration.ofSeconds(5));
    }

    double count(String name, String... tags) {
        var counter = registry.find(name).tags(tags).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public void close() {
        streams.close();
        connections.close();
        client.shutdown();
        resources.shutdown();
        if (check != null) {
            check.close();
        }
        checkClient.shutdown();
    }
}
