package dev.projectdashboard.realtimeservice.e2e;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * A WebSocket client that sends exactly the frames a test gives it, text or binary, whatever they contain, and keeps
 * every text frame it receives as it came: for the protocols' refusals of frames no real client would send. It answers
 * Engine.IO pings ({@code 2}) when asked to, so a Socket.IO connection stays up while a test takes its time.
 */
public final class RawWebSocket implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();
    // 0 while open, -1 when the connection failed without a close frame
    private final AtomicInteger closeStatus = new AtomicInteger();
    private final Disposable connection;

    private RawWebSocket(String uri, boolean answerEngineIoPings) {
        connection = HttpClient.create(ConnectionProvider.newConnection())
                .websocket(WebsocketClientSpec.builder()
                        .maxFramePayloadLength(1 << 20)
                        .build())
                .uri(uri)
                .handle((in, out) -> {
                    in.receiveCloseStatus().subscribe(status -> closeStatus.compareAndSet(0, status.code()));
                    Mono<Void> receive = in.aggregateFrames(1 << 20)
                            .receive()
                            .asString()
                            .doOnNext(text -> {
                                if (answerEngineIoPings && "2".equals(text)) {
                                    send("3");
                                } else {
                                    frames.add(text);
                                }
                            })
                            .then();
                    return Mono.when(receive, out.sendObject(outbound.asFlux()));
                })
                .subscribe(null, error -> closeStatus.compareAndSet(0, -1));
    }

    /** {@code /ws}, with a token or without. */
    public static RawWebSocket nativeEndpoint(int port, String token) {
        return new RawWebSocket("ws://localhost:" + port + "/ws" + (token == null ? "" : "?token=" + token), false);
    }

    /** {@code /socket.io/} over WebSocket, as the stock client asks for it; Engine.IO pings are answered. */
    public static RawWebSocket socketIo(int port) {
        return new RawWebSocket("ws://localhost:" + port + "/socket.io/?EIO=4&transport=websocket", true);
    }

    public void send(String text) {
        emit(new TextWebSocketFrame(text));
    }

    public void sendBinary(byte[] bytes) {
        emit(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(bytes)));
    }

    private void emit(WebSocketFrame frame) {
        // the ping answer comes from the receiving thread, a test's frame from the test thread
        outbound.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** The next text frame matching; frames skipped on the way are added to {@code skipped}. */
    public String await(Predicate<String> matching, List<String> skipped) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within " + WAIT + "; skipped " + skipped + "; close status "
                        + closeStatus.get());
            }
            if (matching.test(frame)) {
                return frame;
            }
            skipped.add(frame);
        }
    }

    public String await(Predicate<String> matching) throws InterruptedException {
        return await(matching, new ArrayList<>());
    }

    /** The next text frame that starts with {@code prefix}. */
    public String awaitPrefix(String prefix) throws InterruptedException {
        return await(frame -> frame.startsWith(prefix));
    }

    /** The close code the server sent, or -1 when the connection failed without one; fails if it stays open. */
    public int awaitClose() {
        Awaitility.await().atMost(WAIT).until(() -> closeStatus.get() != 0);
        return closeStatus.get();
    }

    /** Text as the bytes of a binary frame. */
    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        outbound.tryEmitComplete();
        connection.dispose();
    }
}
