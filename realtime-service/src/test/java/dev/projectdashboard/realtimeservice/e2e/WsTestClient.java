package dev.projectdashboard.realtimeservice.e2e;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A real Reactor Netty WebSocket client of {@code /ws}: frames land in a queue, with their arrival time. */
public final class WsTestClient implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One received frame. */
    public record Frame(JsonNode json, long receivedAtMillis) {
        public String event() {
            return json.path("event").asString();
        }
    }

    private final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final Sinks.One<WebSocketCloseStatus> closeStatus = Sinks.one();
    private final Sinks.One<Throwable> failure = Sinks.one();
    private final AtomicInteger pings = new AtomicInteger();
    private volatile Channel channel;
    private volatile Disposable pinger;
    private final Disposable connection;

    private WsTestClient(int port, String token, int receiveBuffer) {
        this(port, token, receiveBuffer, false);
    }

    private WsTestClient(int port, String token, int receiveBuffer, boolean ignorePings) {
        HttpClient client = HttpClient.create(ConnectionProvider.newConnection());
        if (receiveBuffer > 0) {
            client = client.option(ChannelOption.SO_RCVBUF, receiveBuffer);
        }
        connection = client.websocket(WebsocketClientSpec.builder()
                        .maxFramePayloadLength(1 << 20)
                        // handlePing: pings reach the handler, which drops them, instead of Netty answering
                        .handlePing(ignorePings)
                        .build())
                .uri("ws://localhost:" + port + "/ws" + (token == null ? "" : "?token=" + token))
                .handle((in, out) -> {
                    in.withConnection(c -> {
                        channel = c.channel();
                        // after the WebSocket decoder, ahead of Reactor Netty's handler that answers pings (or drops
                        // them)
                        c.addHandlerLast("ping-counter", new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext context, Object message) {
                                if (message instanceof PingWebSocketFrame) {
                                    pings.incrementAndGet();
                                }
                                context.fireChannelRead(message);
                            }
                        });
                    });
                    in.receiveCloseStatus().subscribe(closeStatus::tryEmitValue);
                    Mono<Void> receive = in.aggregateFrames(1 << 20)
                            .receive()
                            .asString()
                            .doOnNext(text -> frames.add(new Frame(JSON.readTree(text), System.currentTimeMillis())))
                            .then();
                    return Mono.when(receive, out.sendString(outbound.asFlux()));
                })
                .subscribe(null, failure::tryEmitValue);
    }

    /** A WebSocket upgrade request as a browser sends it, answered by the server over plain HTTP (a refusal). */
    public static WebTestClient.ResponseSpec upgrade(WebTestClient http, String uri) {
        return http.get()
                .uri(uri)
                .header("Connection", "Upgrade")
                .header("Upgrade", "websocket")
                .header("Sec-WebSocket-Version", "13")
                .header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
                .exchange();
    }

    public static WsTestClient connect(int port, String token) {
        return new WsTestClient(port, token, 0);
    }

    /** A client that never answers the server's WebSocket pings (a dead peer, as far as the server can tell). */
    public static WsTestClient connectIgnoringPings(int port, String token) {
        return new WsTestClient(port, token, 0, true);
    }

    /** A client whose socket receive buffer is tiny, so it can be made to stop reading quickly. */
    public static WsTestClient connectWithSmallReceiveBuffer(int port, String token) {
        return new WsTestClient(port, token, 4096);
    }

    public void send(String frame) {
        // the pinger may emit at the same time
        outbound.emitNext(frame, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** WebSocket pings received from the server so far. */
    public int pings() {
        return pings.get();
    }

    /** Stops {@link #keepSendingPings}. */
    public void stopPinging() {
        Disposable timer = pinger;
        if (timer != null) {
            timer.dispose();
        }
    }

    /** Stops reading from the socket (the server's writes back up). */
    public void stopReading() {
        channel.config().setAutoRead(false);
    }

    public void resumeReading() {
        channel.config().setAutoRead(true);
        channel.read();
    }

    /** The next frame matching, failing after 10 s; frames skipped on the way are returned in {@code skipped}. */
    public Frame await(Predicate<Frame> matching, List<Frame> skipped) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            long left = deadline - System.nanoTime();
            Frame frame = left <= 0 ? null : frames.poll(left, TimeUnit.NANOSECONDS);
            if (frame == null) {
                throw new AssertionError("no matching frame within 10 s; skipped " + skipped);
            }
            if (matching.test(frame)) {
                return frame;
            }
            skipped.add(frame);
        }
    }

    public Frame await(Predicate<Frame> matching) throws InterruptedException {
        return await(matching, new ArrayList<>());
    }

    public Frame awaitEvent(String event) throws InterruptedException {
        return await(frame -> frame.event().equals(event));
    }

    /** Publication frames (they have a channel and a type) on a channel, in order. */
    public List<Frame> awaitPublications(String channel, int count) throws InterruptedException {
        List<Frame> publications = new ArrayList<>();
        while (publications.size() < count) {
            publications.add(
                    await(frame -> channel.equals(frame.json().path("channel").asString(null))
                            && frame.json().has("type")));
        }
        return publications;
    }

    /** Whatever arrived by now and was not consumed. */
    public List<Frame> drain() {
        List<Frame> rest = new ArrayList<>();
        frames.drainTo(rest);
        return rest;
    }

    /** The close status the server sent; {@code null} when the connection failed without one or is still open after {@code timeout}. */
    public WebSocketCloseStatus awaitClose(Duration timeout) {
        // a connection that failed (reset) will never see a close frame: stop waiting then
        return Mono.firstWithSignal(closeStatus.asMono(), failure.asMono().then(Mono.<WebSocketCloseStatus>empty()))
                .timeout(timeout, Mono.empty())
                .block();
    }

    /**
     * Sends an application {@code ping} every {@code period} until closed: a client that stopped reading may still
     * write, and so it is not closed for silence (3012) but for its full queue (3008).
     */
    public void keepSendingPings(Duration period) {
        pinger = Flux.interval(period).subscribe(tick -> send("{\"event\":\"ping\"}"));
    }

    public Throwable awaitFailure(Duration timeout) {
        return failure.asMono().block(timeout);
    }

    @Override
    public void close() {
        Disposable timer = pinger;
        if (timer != null) {
            timer.dispose();
        }
        outbound.tryEmitComplete();
        connection.dispose();
        Channel current = channel;
        if (current != null) {
            current.close();
        }
    }
}
