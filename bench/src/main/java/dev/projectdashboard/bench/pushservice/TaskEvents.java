package dev.projectdashboard.bench.pushservice;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.autoconfigure.EventBusProperties;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.eventbus.redis.EventBusMetrics;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.eventbus.redis.RedisEventPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishes {@code task.completed} events to {@code events:tasks} as the task service does: a CloudEvent appended by
 * the event bus's own {@link EventPublisher} (XADD), subject {@code task:<id>}, data a {@link TaskCompleted} shaped
 * like source 003's example task (a result object and metadata, no result files, so no {@code file_url} is
 * presigned).
 */
final class TaskEvents implements AutoCloseable {

    static final String SOURCE = "/bench";

    private final ClientResources resources;
    private final RedisClient redis;
    private final RedisConnections connections;
    private final EventPublisher publisher;
    private final ObjectNode result;
    private final ObjectNode meta;

    TaskEvents(String redisUrl) {
        this.resources = RedisConnections.clientResources();
        this.redis = RedisConnections.createClient(resources, redisUrl, Duration.ofSeconds(5));
        this.connections = new RedisConnections(redis, redisUrl, Duration.ofSeconds(10));
        this.publisher = new RedisEventPublisher(
                connections,
                new EventCodec(),
                new EventBusMetrics(new SimpleMeterRegistry()),
                EventBusProperties.bind().publisherOptions());
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        this.result = nodes.objectNode()
                .put("invoice_number", "INV-2025-001")
                .put("amount", 1000.00)
                .put("currency", "CNY");
        this.meta = nodes.objectNode()
                .put("file_name", "invoice.pdf")
                .put("page_count", 3)
                .put("rule_id", "RULE_001")
                .put("rule_version", "V1.0");
    }

    /** Appends one event; the stream entry id, or an error. */
    Mono<String> publish(String taskId) {
        TaskCompleted data = new TaskCompleted("bench-user", taskId, List.of(), 12.5, 0.02, result, meta);
        return publisher.publish(
                Streams.TASKS, CloudEvent.of(EventTypes.TASK_COMPLETED, SOURCE, "task:" + taskId, data));
    }

    @Override
    public void close() {
        connections.close();
        redis.shutdown();
        resources.shutdown();
    }
}
