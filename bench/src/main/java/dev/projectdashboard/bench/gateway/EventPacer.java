package dev.projectdashboard.bench.gateway;

import dev.projectdashboard.bench.EpochClock;
import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.autoconfigure.EventBusProperties;
import dev.projectdashboard.eventbus.redis.EventBusMetrics;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.eventbus.redis.RedisEventPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code deployment.log} events for one project at a fixed rate through the event bus's own
 * {@link EventPublisher} (XADD to {@code events:deployments}), as deploy-notifier does; realtime-service fans them
 * out to the subscribers of {@code project:<name>}. Each event's data ends with {@code sent_us}, the epoch µs just
 * before its XADD, which the clients read back.
 */
final class EventPacer implements AutoCloseable {

    private static final String SOURCE = "/bench/gateway";

    /** What a step published: events handed to Redis, and those whose XADD failed or never answered. */
    record Published(long events, long failed) {}

    private final ClientResources resources;
    private final RedisClient redis;
    private final RedisConnections connections;
    private final EventPublisher publisher;
    private final String padding;
    private final AtomicLong seq = new AtomicLong();

    EventPacer(String redisUrl, int pad) {
        this.resources = RedisConnections.clientResources();
        this.redis = RedisConnections.createClient(resources, redisUrl, Duration.ofSeconds(5));
        this.connections = new RedisConnections(redis, redisUrl, Duration.ofSeconds(10));
        this.publisher = new RedisEventPublisher(
                connections,
                new EventCodec(),
                new EventBusMetrics(new SimpleMeterRegistry()),
                EventBusProperties.bind().publisherOptions());
        this.padding = "x".repeat(pad);
    }

    /** {@code rate} events/s for {@code seconds}; returns once the last XADD answered (or 30 s later). */
    Published publish(String project, double rate, double seconds) {
        long total = Math.max(1, Math.round(rate * seconds));
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        long sent = 0;
        // what is due is sent every ~1 ms: at tens of events/s that is each at its time
        while (sent < total) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            long due = Math.min(total, (long) Math.floor(elapsed * rate) + 1);
            for (; sent < due; sent++) {
                Map<String, Object> data = new LinkedHashMap<>();
                data.put("project", project);
                data.put("level", "info");
                data.put("message", padding);
                data.put("seq", seq.getAndIncrement());
                // last: the clients read it from the end of the frame
                data.put("sent_us", EpochClock.micros());
                publisher
                        .publish(Streams.DEPLOYMENTS, CloudEvent.of(EventTypes.DEPLOYMENT_LOG, SOURCE, null, data))
                        .subscribe(id -> done.incrementAndGet(), error -> {
                            failed.incrementAndGet();
                            done.incrementAndGet();
                        });
            }
            LockSupport.parkNanos(1_000_000);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (done.get() < total && System.nanoTime() < deadline) {
            LockSupport.parkNanos(1_000_000);
        }
        return new Published(total, failed.get() + (total - done.get()));
    }

    @Override
    public void close() {
        connections.close();
        redis.shutdown();
        resources.shutdown();
    }
}
