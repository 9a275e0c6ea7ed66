package dev.projectdashboard.bench.realtime;

import dev.projectdashboard.bench.EpochClock;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.ServiceProcess;
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
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * realtime-service as its own JVM from its jar (as in production), fed through the event streams: every event is a
 * CloudEvent appended by the event bus's own {@link EventPublisher} (XADD to {@code events:deployments} or
 * {@code events:notifications}), exactly as producers publish; the service tails the streams and fans out.
 */
final class RealtimeServiceTarget implements Target {

    private static final String SOURCE = "/bench";

    private final ServiceProcess process;
    private final int port;
    private final ClientResources resources;
    private final RedisClient redis;
    private final RedisConnections connections;
    private final EventPublisher publisher;

    private RealtimeServiceTarget(
            ServiceProcess process,
            int port,
            ClientResources resources,
            RedisClient redis,
            RedisConnections connections,
            EventPublisher publisher) {
        this.process = process;
        this.port = port;
        this.resources = resources;
        this.redis = redis;
        this.connections = connections;
        this.publisher = publisher;
    }

    static RealtimeServiceTarget start(
            Path jar,
            List<String> jvmOptions,
            List<String> arguments,
            Map<String, String> environment,
            String redisUrl,
            int port,
            Path log)
            throws IOException, InterruptedException {
        ServiceProcess process =
                ServiceProcess.start("realtime-service", jar, jvmOptions, arguments, environment, port, log);
        ClientResources resources = RedisConnections.clientResources();
        RedisClient redis = RedisConnections.createClient(resources, redisUrl, Duration.ofSeconds(5));
        RedisConnections connections = new RedisConnections(redis, redisUrl, Duration.ofSeconds(10));
        EventPublisher publisher = new RedisEventPublisher(
                connections,
                new EventCodec(),
                new EventBusMetrics(new SimpleMeterRegistry()),
                EventBusProperties.bind().publisherOptions());
        RealtimeServiceTarget target =
                new RealtimeServiceTarget(process, port, resources, redis, connections, publisher);
        try {
            process.awaitReady(Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public String label() {
        return "realtime-service (native /ws)";
    }

    @Override
    public LoadClients.Protocol protocol() {
        return LoadClients.Protocol.NATIVE;
    }

    @Override
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    @Override
    public Published publish(Mode mode, double rate, double seconds, int pad, int subscribers, int users) {
        long total = Math.round(rate * seconds);
        String padding = "x".repeat(pad);
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long started = System.nanoTime();
        long sent = 0;
        // a fixed rate without drift: each pass sends what is due by now, then waits ~1 ms
        while (sent < total) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            long due = Math.min(total, (long) Math.floor(elapsed * rate) + 1);
            for (; sent < due; sent++) {
                publishOne(mode, sent, padding, users).subscribe(id -> done.incrementAndGet(), error -> {
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
        long notAnswered = total - done.get();
        long failures = failed.get() + notAnswered;
        long expected = mode == Mode.BROADCAST ? (total - failures) * subscribers : total - failures;
        return new Published(total, failures, expected);
    }

    private reactor.core.publisher.Mono<String> publishOne(Mode mode, long seq, String padding, int users) {
        Map<String, Object> data = new LinkedHashMap<>();
        // sent_us last: the receivers read it from the end of the frame
        if (mode == Mode.BROADCAST) {
            data.put("project", "bench");
            data.put("level", "info");
            data.put("message", padding);
            data.put("seq", seq);
            data.put("sent_us", EpochClock.micros());
            return publisher.publish(Streams.DEPLOYMENTS, CloudEvent.of(EventTypes.DEPLOYMENT_LOG, SOURCE, null, data));
        }
        data.put("user_id", RealtimeBenchmark.userId((int) (seq % users)));
        data.put("title", "bench");
        data.put("message", padding);
        data.put("type", "info");
        data.put("seq", seq);
        data.put("sent_us", EpochClock.micros());
        return publisher.publish(Streams.NOTIFICATIONS, CloudEvent.of(EventTypes.NOTIFICATION, SOURCE, null, data));
    }

    @Override
    public Memory memory() throws IOException, InterruptedException {
        long heap = ProcessMemory.heapUsedAfterGc(process.pid());
        Thread.sleep(500); // let the collector return what it frees before reading the resident set
        return new Memory(ProcessMemory.rss(process.pid()), heap);
    }

    @Override
    public Map<String, long[]> heapHistogram() throws IOException, InterruptedException {
        return ProcessMemory.classHistogram(process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        try {
            connections.close();
            redis.shutdown();
            resources.shutdown();
        } finally {
            process.close();
        }
    }
}
