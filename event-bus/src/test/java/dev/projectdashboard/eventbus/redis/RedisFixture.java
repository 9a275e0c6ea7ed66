package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
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
import java.util.Objects;
import java.util.UUID;
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
    final PublisherOptions publisherOptions = PublisherOptions.defaults();
    final RedisEventPublisher publisher = new RedisEventPublisher(connections, codec, metrics, publisherOptions);
    final EventStreams streams;
    private final RedisClient checkClient = RedisClient.create(stack.redisUri());
    private StatefulRedisConnection<String, String> check;

    RedisFixture(ConsumerOptions defaults) {
        streams = new EventStreams(connections, codec, metrics, defaults, publisherOptions);
    }

    /** Fast timings so claims, retries and dead-lettering happen within a test. */
    static ConsumerOptions fastOptions() {
        return ConsumerOptions.defaults()
                .withTimings(Duration.ofMillis(200), Duration.ofMillis(200))
                .withRetries(Duration.ofMillis(600), Duration.ofMillis(150), Duration.ofMillis(500), 3);
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
