package dev.projectdashboard.bench.pushservice;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The reference: how many requests the healthy sinks accept per second when nothing but a load generator in this JVM
 * stands in front of them. {@code connections} closed-loop clients, each on a keep-alive connection of its own and
 * spread over the sinks, POST the body and headers of a real delivery (one push-service sent) back to back.
 */
final class AcceptRate implements AutoCloseable {

    /** Request headers the client sets itself, or that describe the connection rather than the request. */
    private static final Set<String> OWN = Set.of("host", "content-length", "connection", "transfer-encoding");

    /** Requests answered 200 within the measured window, and their latency. */
    record Result(int connections, double seconds, long answered, long errors, double p50Ms, double p99Ms) {

        double perSecond() {
            return seconds > 0 ? answered / seconds : 0;
        }
    }

    private final LoopResources loops;
    private final ConnectionProvider pool;
    private final HttpClient http;

    AcceptRate(int connections, int eventLoops) {
        this.loops = LoopResources.create("bench-reference", eventLoops, true);
        this.pool = ConnectionProvider.builder("sink-reference")
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .build();
        this.http = HttpClient.create(pool).runOn(loops).keepAlive(true).responseTimeout(Duration.ofSeconds(30));
    }

    /**
     * Runs {@code connections} clients for {@code warmUp} + {@code measured}; counts the answers of the measured
     * window only.
     *
     * @param onMeasuring called when the measured window opens and closes (true, then false)
     */
    Result run(
            List<URI> sinks,
            Map<String, String> headers,
            byte[] body,
            int connections,
            Duration warmUp,
            Duration measured,
            Consumer<Boolean> onMeasuring) {
        Recorder latency = new Recorder(Duration.ofMinutes(1).toNanos() / 1000, 3);
        AtomicReference<LongAdder> answered = new AtomicReference<>(new LongAdder());
        LongAdder errors = new LongAdder();
        HttpClient client = http.headers(out -> headers.forEach((name, value) -> {
            if (!OWN.contains(name.toLowerCase(Locale.ROOT))) {
                out.set(name, value);
            }
        }));
        long start = System.nanoTime();
        long windowStart = start + warmUp.toNanos();
        long end = windowStart + measured.toNanos();
        var running = Flux.range(0, connections)
                .flatMap(
                        index -> Mono.defer(() -> post(client, sinks.get(index % sinks.size()), body))
                                .doOnNext(nanos -> {
                                    if (nanos < 0) {
                                        errors.increment();
                                    } else {
                                        answered.get().increment();
                                        latency.recordValue(nanos / 1000);
                                    }
                                })
                                .repeat(() -> System.nanoTime() < end),
                        connections)
                .then()
                .toFuture();
        sleepUntil(windowStart);
        LongAdder window = new LongAdder();
        latency.getIntervalHistogram();
        answered.set(window);
        onMeasuring.accept(true);
        long from = System.nanoTime();
        sleepUntil(end);
        answered.set(new LongAdder());
        long to = System.nanoTime();
        onMeasuring.accept(false);
        Histogram histogram = latency.getIntervalHistogram();
        try {
            running.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            running.cancel(true);
        }
        return new Result(
                connections,
                (to - from) / 1e9,
                window.sum(),
                errors.sum(),
                histogram.getValueAtPercentile(50) / 1000.0,
                histogram.getValueAtPercentile(99) / 1000.0);
    }

    /** One POST: its latency in ns, or -1 for anything but a 200. */
    private static Mono<Long> post(HttpClient client, URI sink, byte[] body) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            return client.post()
                    .uri(sink)
                    .send((request, out) -> {
                        request.header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length));
                        return out.sendByteArray(Mono.just(body));
                    })
                    .responseSingle((response, content) -> content.then(
                            Mono.just(response.status().code() == 200 ? System.nanoTime() - started : -1L)))
                    .onErrorResume(error -> Mono.just(-1L));
        });
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(10));
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
