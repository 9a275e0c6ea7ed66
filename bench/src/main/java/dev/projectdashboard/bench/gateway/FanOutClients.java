package dev.projectdashboard.bench.gateway;

import dev.projectdashboard.bench.EpochClock;
import dev.projectdashboard.bench.LoadClients;
import io.netty.buffer.ByteBuf;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Browsers on realtime-service's native protocol at a WebSocket URL of any path: {@code …/ws} directly, or the
 * gateway's {@code …/project-dashboard/ws} ({@link LoadClients}, the realtime benchmark's fleet, connects to
 * {@code /ws} only). Each client connects with {@code ?token=}, subscribes to one channel and is ready once
 * {@code subscribed} comes back. Deliveries are the frames that carry {@code sent_us}, read with
 * {@link LoadClients#sentMicros}; their publish → receive latency goes to an HdrHistogram {@link Recorder}.
 */
final class FanOutClients implements AutoCloseable {

    /** One browser: its user (realtime-service admits 10 connections per user) and its JWT. */
    record Client(String userId, String token) {}

    private final LoopResources loops;
    private final HttpClient http;
    private final Recorder latencyMicros = new Recorder(Duration.ofMinutes(10).toNanos() / 1000, 3);
    private final LongAdder deliveries = new LongAdder();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Queue<Disposable> sessions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile String lossReason = "";
    private volatile boolean closing;

    FanOutClients(String name, int eventLoops) {
        this.loops = LoopResources.create("bench-" + name, eventLoops, true);
        this.http = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops);
    }

    /**
     * Opens every client at {@code endpoint} (a ws:// URL with its path, no query), subscribes each to
     * {@code channel}, at most {@code concurrency} handshakes at a time; errors if one is not ready in time.
     */
    void connectAll(URI endpoint, String channel, List<Client> clients, int concurrency, Duration timeoutEach) {
        Flux.fromIterable(clients)
                .flatMap(client -> connect(endpoint, channel, client).timeout(timeoutEach), concurrency)
                .then()
                .block();
    }

    private Mono<Void> connect(URI endpoint, String channel, Client client) {
        return Mono.defer(() -> {
            Sinks.One<Void> ready = Sinks.one();
            Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
            String uri = endpoint + "?token=" + URLEncoder.encode(client.token(), StandardCharsets.UTF_8);
            Disposable session = http.websocket(WebsocketClientSpec.builder()
                            .maxFramePayloadLength(1 << 20)
                            .build())
                    .uri(uri)
                    .handle((in, out) -> {
                        open.incrementAndGet();
                        in.withConnection(connection -> connection.onDispose(open::decrementAndGet));
                        Mono<Void> receive = in.receive()
                                .doOnNext(frame -> onFrame(client, channel, frame, outbound, ready))
                                .then();
                        return out.sendString(outbound.asFlux()).then().and(receive);
                    })
                    .subscribe(
                            ignored -> {},
                            error -> ended(ready, error.toString()),
                            () -> ended(ready, "closed by the server"));
            sessions.add(session);
            return ready.asMono();
        });
    }

    private void ended(Sinks.One<Void> ready, String reason) {
        ready.tryEmitError(new IllegalStateException("connection ended before it was ready: " + reason));
        if (!closing) {
            lost.incrementAndGet();
            lossReason = reason;
        }
    }

    private void onFrame(Client client, String channel, ByteBuf frame, Sinks.Many<String> out, Sinks.One<Void> ready) {
        long sent = LoadClients.sentMicros(frame);
        if (sent >= 0) {
            latencyMicros.recordValue(Math.max(0, EpochClock.micros() - sent));
            deliveries.increment();
            lastDeliveryNanos.lazySet(System.nanoTime());
            return;
        }
        String text = frame.toString(StandardCharsets.UTF_8);
        if (text.startsWith("{\"event\":\"connection:established\"")) {
            out.tryEmitNext("{\"event\":\"subscribe\",\"data\":{\"channel\":\"" + channel + "\"}}");
        } else if (text.startsWith("{\"event\":\"subscribed\"")) {
            ready.tryEmitEmpty();
        } else if (text.startsWith("{\"event\":\"error\"")) {
            ready.tryEmitError(new IllegalStateException("realtime-service refused " + client.userId() + ": " + text));
        }
    }

    long deliveries() {
        return deliveries.sum();
    }

    long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    /** The latencies recorded since the previous call (µs), and a fresh interval. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    int open() {
        return open.get();
    }

    int lost() {
        return lost.get();
    }

    String lossReason() {
        return lossReason;
    }

    @Override
    public void close() {
        closing = true;
        for (Disposable session; (session = sessions.poll()) != null; ) {
            session.dispose();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            LoadClients.sleep(50); // the server side closes the sockets: nothing in this JVM to wait on
        }
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
