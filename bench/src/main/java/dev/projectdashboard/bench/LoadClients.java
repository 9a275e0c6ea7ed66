package dev.projectdashboard.bench;

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
import java.util.function.ToLongFunction;
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
 * A fleet of WebSocket clients in this JVM, speaking either realtime-service's native protocol or raw Engine.IO v4 /
 * Socket.IO v5 frames, on Reactor Netty's client with event loops of its own (≈ 9.5 KB of heap per connection, so
 * 10,000 clients fit easily). The same code drives both servers, so the load generator costs both the same.
 *
 * <p>Deliveries are recognised without parsing JSON, by a send-time reader: by default {@link #sentMicros}, for
 * publications that end with {@code "sent_us":<epoch µs>} followed only by closing brackets, so the frame is read
 * backwards from its end. The latency (receive time − send time) goes into an HdrHistogram {@link Recorder}, which
 * event-loop threads write to without locks.
 */
public final class LoadClients implements AutoCloseable {

    public enum Protocol {
        NATIVE,
        SOCKET_IO
    }

    /** One client to open: who it is, its credential and the project channel it subscribes to (null: none). */
    public record Client(String userId, String token, String project) {}

    /** Native frames the handshake waits for all start {@code {"event":"} then c(onnection…), s(ubscribed), e(rror). */
    private static final byte[] NATIVE_HANDSHAKE_PREFIX = "{\"event\":\"".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] SENT_FIELD = "\"sent_us\"".getBytes(StandardCharsets.US_ASCII);

    private final ToLongFunction<ByteBuf> sendTime;
    private final LoopResources loops;
    private final HttpClient http;
    private final Recorder latencyMicros = new Recorder(Duration.ofMinutes(10).toNanos() / 1000, 3);
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder controlFrames = new LongAdder();
    private final AtomicLong lastDeliveryNanos = new AtomicLong();
    private final Queue<Disposable> sessions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile String lossReason = "";
    private volatile boolean closing;
    private volatile long clockOffsetMicros;

    public LoadClients(int eventLoops) {
        this(eventLoops, LoadClients::sentMicros);
    }

    /**
     * @param sendTime the epoch µs at which a measured delivery was sent, read from its frame; -1 for any other frame
     */
    public LoadClients(int eventLoops, ToLongFunction<ByteBuf> sendTime) {
        this.sendTime = sendTime;
        // daemon threads, own loops: nothing shared with the local stack's servers in this JVM
        this.loops = LoopResources.create("bench-ws", eventLoops, true);
        this.http = HttpClient.create(ConnectionProvider.newConnection()).runOn(loops);
    }

    /**
     * Opens all clients, at most {@code concurrency} handshakes at a time, and completes once every one of them is
     * ready (connected, authenticated and subscribed). Errors if one fails or is not ready within the timeout.
     */
    public void connectAll(Protocol protocol, URI server, List<Client> clients, int concurrency, Duration timeoutEach) {
        Flux.fromIterable(clients)
                .flatMap(client -> connect(protocol, server, client).timeout(timeoutEach), concurrency)
                .then()
                .block();
    }

    private Mono<Void> connect(Protocol protocol, URI server, Client client) {
        return Mono.defer(() -> {
            Sinks.One<Void> ready = Sinks.one();
            // written only from this connection's event loop (replies to frames), so a unicast sink is enough
            Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
            String uri = protocol == Protocol.NATIVE
                    ? server.resolve("/ws?token=" + URLEncoder.encode(client.token(), StandardCharsets.UTF_8))
                            .toString()
                    : server.resolve("/socket.io/?EIO=4&transport=websocket").toString();
            Disposable session = http.websocket(WebsocketClientSpec.builder()
                            .maxFramePayloadLength(1 << 20)
                            .build())
                    .uri(uri)
                    .handle((in, out) -> {
                        open.incrementAndGet();
                        // counts the TCP connection out whichever way it ends (server close, error, our dispose)
                        in.withConnection(connection -> connection.onDispose(open::decrementAndGet));
                        Mono<Void> receive = in.receive()
                                .doOnNext(frame -> onFrame(protocol, client, frame, outbound, ready))
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

    private void onFrame(
            Protocol protocol, Client client, ByteBuf frame, Sinks.Many<String> out, Sinks.One<Void> ready) {
        long sent = sendTime.applyAsLong(frame);
        if (sent >= 0) {
            latencyMicros.recordValue(Math.max(0, EpochClock.micros() - (sent - clockOffsetMicros)));
            deliveries.increment();
            lastDeliveryNanos.lazySet(System.nanoTime());
            return;
        }
        controlFrames.increment();
        if (protocol == Protocol.NATIVE && !startsWith(frame, NATIVE_HANDSHAKE_PREFIX)) {
            return; // join/leave, pong and other events the bench does not act on: not worth decoding
        }
        String text = frame.toString(StandardCharsets.UTF_8);
        if (protocol == Protocol.NATIVE) {
            onNativeControl(client, text, out, ready);
        } else {
            onSocketIoControl(client, text, out, ready);
        }
    }

    private static void onNativeControl(Client client, String text, Sinks.Many<String> out, Sinks.One<Void> ready) {
        if (text.startsWith("{\"event\":\"connection:established\"")) {
            if (client.project() == null) {
                ready.tryEmitEmpty();
            } else {
                out.tryEmitNext(
                        "{\"event\":\"subscribe\",\"data\":{\"channel\":\"project:" + client.project() + "\"}}");
            }
        } else if (text.startsWith("{\"event\":\"subscribed\"")) {
            ready.tryEmitEmpty();
        } else if (text.startsWith("{\"event\":\"error\"")) {
            ready.tryEmitError(new IllegalStateException("realtime-service refused " + client.userId() + ": " + text));
        }
    }

    private static void onSocketIoControl(Client client, String text, Sinks.Many<String> out, Sinks.One<Void> ready) {
        if (text.equals("2")) {
            out.tryEmitNext("3"); // Engine.IO v4: the server pings, the client pongs
        } else if (text.startsWith("0{")) {
            out.tryEmitNext("40{\"token\":\"" + client.userId() + "\"}");
        } else if (text.startsWith("40")) {
            if (client.project() == null) {
                ready.tryEmitEmpty();
            } else {
                out.tryEmitNext("420[\"subscribe_project\",\"" + client.project() + "\"]");
            }
        } else if (text.startsWith("430")) {
            ready.tryEmitEmpty();
        } else if (text.startsWith("44")) {
            ready.tryEmitError(new IllegalStateException("socket.io refused " + client.userId() + ": " + text));
        }
    }

    /**
     * The {@code sent_us} value of a measured publication, else -1. Fast path: the frame ends with
     * {@code "sent_us":<digits>} and closing brackets (both servers put the payload last), read from the end without
     * allocating; otherwise the field is looked for from the start, so a frame layout with fields after the payload
     * still counts.
     */
    public static long sentMicros(ByteBuf frame) {
        int start = frame.readerIndex();
        int i = frame.writerIndex() - 1;
        while (i >= start && isCloser(frame.getByte(i))) {
            i--;
        }
        int end = i;
        while (i >= start && end - i < 19 && isDigit(frame.getByte(i))) {
            i--;
        }
        if (i < end && i >= start && frame.getByte(i) == ':' && fieldEndsAt(frame, i, start)) {
            return digits(frame, i + 1, end + 1);
        }
        // slow path: the field anywhere in the frame
        int limit = frame.writerIndex() - SENT_FIELD.length - 1;
        for (int at = start; at <= limit; at++) {
            if (frame.getByte(at) == '"' && fieldEndsAt(frame, at + SENT_FIELD.length, start)) {
                int from = at + SENT_FIELD.length;
                if (frame.getByte(from) != ':') {
                    continue;
                }
                int to = from + 1;
                while (to < frame.writerIndex() && to - from <= 19 && isDigit(frame.getByte(to))) {
                    to++;
                }
                return to > from + 1 ? digits(frame, from + 1, to) : -1;
            }
        }
        return -1;
    }

    /** Whether {@code "sent_us"} ends just before {@code colon}. */
    private static boolean fieldEndsAt(ByteBuf frame, int colon, int start) {
        int fieldStart = colon - SENT_FIELD.length;
        if (fieldStart < start) {
            return false;
        }
        for (int k = 0; k < SENT_FIELD.length; k++) {
            if (frame.getByte(fieldStart + k) != SENT_FIELD[k]) {
                return false;
            }
        }
        return true;
    }

    private static long digits(ByteBuf frame, int from, int to) {
        long value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (frame.getByte(i) - '0');
        }
        return value;
    }

    private static boolean startsWith(ByteBuf frame, byte[] prefix) {
        int start = frame.readerIndex();
        if (frame.readableBytes() <= prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (frame.getByte(start + k) != prefix[k]) {
                return false;
            }
        }
        byte next = frame.getByte(start + prefix.length);
        return next == 'c' || next == 's' || next == 'e';
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isCloser(byte b) {
        return b == '}' || b == ']' || b == ' ' || b == '\n';
    }

    /** The sender's clock minus ours (µs), subtracted from every {@code sent_us}. */
    public void clockOffsetMicros(long offset) {
        this.clockOffsetMicros = offset;
    }

    public long deliveries() {
        return deliveries.sum();
    }

    /** Frames that were not measured publications (handshake, acks, join/leave, pings…). */
    public long controlFrames() {
        return controlFrames.sum();
    }

    public long lastDeliveryNanos() {
        return lastDeliveryNanos.get();
    }

    /** The latencies recorded since the previous call (µs), and a fresh interval. */
    public Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }

    public int open() {
        return open.get();
    }

    /** Connections that ended while the bench still wanted them, and why the last one did. */
    public int lost() {
        return lost.get();
    }

    public String lossReason() {
        return lossReason;
    }

    /** Closes every client (the TCP connections are dropped) and waits a little for them to go. */
    public void disconnectAll() {
        closing = true;
        for (Disposable session; (session = sessions.poll()) != null; ) {
            session.dispose();
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (open.get() > 0 && System.nanoTime() < deadline) {
            sleep(50);
        }
        closing = false;
    }

    @Override
    public void close() {
        disconnectAll();
        loops.disposeLater().block(Duration.ofSeconds(10));
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis); // pacing against other processes: there is nothing to wait on but time
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
