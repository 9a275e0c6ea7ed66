package dev.projectdashboard.bench.gateway;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import reactor.netty.resources.LoopResources;

/**
 * Open-loop HTTP/1.1 load at a constant rate (what wrk2 does, which Debian does not ship): request {@code i} is due at
 * {@code start + i / rate} whatever became of the ones before it, and its latency is counted from that intended time,
 * so a target that stalls shows as latency rather than as a slower send rate (no coordinated omission). A request
 * goes out on a free kept-alive connection of a fixed pool; when none is free it waits for one, its clock running.
 *
 * <p>One Netty event-loop thread (epoll, whose timers wake it within tens of µs, so requests leave close to their
 * intended time: {@link Result#sendLag()} tells how close) does everything, so the state needs no locks. Requests are
 * pre-encoded bytes; answers are decoded just enough to check the status and the body's length.
 */
final class PacedHttpLoad implements AutoCloseable {

    /** Latencies are recorded in µs up to an hour, 3 significant digits. */
    private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

    /**
     * What a step measured. Latency: intended send time → answer read, for the answers that were right and, as lower
     * bounds, for the requests still unanswered when the step was cut off; answers that were wrong are counted in
     * {@code errors} only. Send lag: how late the generator itself sent the requests that found a free connection;
     * {@code waitedForConnection}: requests that found every connection busy (the target was behind).
     */
    record Result(
            double rate,
            long requests,
            long ok,
            Map<String, Long> errors,
            long unanswered,
            double seconds,
            Histogram latency,
            Histogram sendLag,
            long waitedForConnection,
            int connectionsUsed,
            long reconnects) {

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Right answers per second, from the first intended send to the last answer. */
        double okPerSecond() {
            return seconds > 0 ? ok / seconds : 0;
        }

        boolean clean() {
            return errorCount() == 0 && unanswered == 0 && ok == requests;
        }

        double p50Ms() {
            return latency.getValueAtPercentile(50) / 1000.0;
        }

        double p99Ms() {
            return latency.getValueAtPercentile(99) / 1000.0;
        }

        double maxMs() {
            return latency.getMaxValue() / 1000.0;
        }

        /** How late the load generator itself sent (actual − intended send time, free connection at hand), p99 ms. */
        double sendLagP99Ms() {
            return sendLag.getValueAtPercentile(99) / 1000.0;
        }

        /** "0" or the errors and unanswered requests by kind. */
        String errorSummary() {
            List<String> parts = new ArrayList<>();
            errors.forEach((kind, count) -> parts.add(String.format("%,d × %s", count, kind)));
            if (unanswered > 0) {
                parts.add(String.format("%,d unanswered", unanswered));
            }
            return parts.isEmpty() ? "0" : String.join(", ", parts);
        }
    }

    private final LoopResources loops;
    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelType;

    PacedHttpLoad() {
        // Reactor Netty's loop resources pick the native transport (epoll) where there is one
        this.loops = LoopResources.create("bench-paced", 1, 1, true);
        this.group = loops.onClient(true);
        this.channelType = loops.onChannelClass(SocketChannel.class, group);
    }

    /** The transport in use, for the report: epoll's timers wake within tens of µs, NIO's have 1 ms granularity. */
    String transport() {
        return channelType.getSimpleName();
    }

    /** The request as sent: {@code GET path HTTP/1.1}, Host, the given headers. */
    static byte[] request(URI target, Map<String, String> headers) {
        StringBuilder out = new StringBuilder("GET ")
                .append(target.getRawPath())
                .append(target.getRawQuery() == null ? "" : "?" + target.getRawQuery())
                .append(" HTTP/1.1\r\nHost: ")
                .append(target.getHost())
                .append(':')
                .append(target.getPort())
                .append("\r\n");
        headers.forEach(
                (name, value) -> out.append(name).append(": ").append(value).append("\r\n"));
        return out.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends {@code rate × duration} requests at {@code rate}/s over {@code connections} kept-alive connections, then
     * waits up to {@code drain} after the last was due for the answers still missing.
     *
     * @param expectedBodyBytes the body length a right 200 answer has
     */
    Result run(
            URI target,
            Map<String, String> headers,
            int expectedBodyBytes,
            int connections,
            double rate,
            Duration duration,
            Duration drain)
            throws Exception {
        long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        Step step = new Step(target, request(target, headers), expectedBodyBytes, rate, total, drain);
        try {
            step.connect(connections);
            step.loop.execute(step::begin);
            long limit = duration.plus(drain).plusSeconds(60).toNanos();
            return step.done.get(limit, TimeUnit.NANOSECONDS);
        } finally {
            step.closeAll();
            step.request.release();
        }
    }

    @Override
    public void close() {
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(10));
    }

    /** One step's state; every field but the final ones is touched by the event-loop thread only. */
    private final class Step {

        final EventLoop loop = group.next();
        final ByteBuf request;
        final int expectedBody;
        final double rate;
        final double periodNanos;
        final long total;
        final long drainNanos;
        final Bootstrap bootstrap;
        final CompletableFuture<Result> done = new CompletableFuture<>();
        final List<Connection> connections = new ArrayList<>();
        /** Free connections, most recently freed on top: the fewest connections carry the load, as in a pool. */
        final ArrayDeque<Connection> idle = new ArrayDeque<>();

        final Histogram latency = new Histogram(HIGHEST_MICROS, 3);
        final Histogram sendLag = new Histogram(HIGHEST_MICROS, 3);
        final Map<String, Long> errors = new TreeMap<>();
        long start;
        /** Requests due so far (intended time ≤ now): request indices [0, due). */
        long due;
        /** Requests sent so far: indices [0, sent); [sent, due) wait for a connection. */
        long sent;

        long finished;
        long ok;
        long unanswered;
        long lastAnswer;
        long reconnects;
        long waitedForConnection;
        boolean started;
        boolean ended;

        Step(URI target, byte[] request, int expectedBody, double rate, long total, Duration drain) {
            this.request = Unpooled.unreleasableBuffer(
                    Unpooled.directBuffer(request.length).writeBytes(request));
            this.expectedBody = expectedBody;
            this.rate = rate;
            this.periodNanos = 1e9 / rate;
            this.total = total;
            this.drainNanos = drain.toNanos();
            this.bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(channelType)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                    .remoteAddress(target.getHost(), target.getPort());
        }

        /** Opens the pool before the clock starts (called from the bench's thread). */
        void connect(int count) throws InterruptedException {
            List<ChannelFuture> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Connection connection = new Connection();
                connections.add(connection);
                futures.add(connection.open());
            }
            for (ChannelFuture future : futures) {
                if (!future.await(10, TimeUnit.SECONDS) || !future.isSuccess()) {
                    throw new IllegalStateException(
                            "could not connect to " + bootstrap.config().remoteAddress(), future.cause());
                }
            }
            loop.submit(() -> idle.addAll(connections)).syncUninterruptibly();
        }

        long intended(long index) {
            return start + (long) (index * periodNanos);
        }

        void begin() {
            started = true;
            start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
            loop.schedule(this::tick, 1, TimeUnit.MILLISECONDS);
            loop.schedule(
                    this::cutOff, (long) ((total - 1) * periodNanos) + drainNanos + 1_000_000, TimeUnit.NANOSECONDS);
        }

        /**
         * Brings {@code due} up to now. Returns the old value: requests below it that are still unsent were due at an
         * earlier look and found no free connection then (every look sends all it can).
         */
        long catchUp(long now) {
            long before = due;
            if (started && now >= start) {
                due = Math.max(due, Math.min(total, (long) ((now - start) / periodNanos) + 1));
            }
            return before;
        }

        /** Sends what is due on the free connections, then sleeps until the next request's intended time. */
        void tick() {
            if (ended) {
                return;
            }
            long waiting = catchUp(System.nanoTime());
            while (sent < due && !idle.isEmpty()) {
                send(idle.pop(), sent++, waiting);
            }
            if (due < total) {
                long delay = intended(due) - System.nanoTime();
                loop.schedule(this::tick, Math.max(0, delay), TimeUnit.NANOSECONDS);
            }
        }

        /** @param waiting requests below this index had to wait for a connection: their delay is not the sender's */
        void send(Connection connection, long index, long waiting) {
            connection.index = index;
            connection.status = 0;
            connection.bodyBytes = 0;
            connection.used = true;
            if (index < waiting) {
                waitedForConnection++;
            } else {
                sendLag.recordValue(
                        Math.min(HIGHEST_MICROS, Math.max(0, (System.nanoTime() - intended(index)) / 1000)));
            }
            connection.channel.writeAndFlush(request.duplicate(), connection.channel.voidPromise());
        }

        /** A connection is free again: it takes the oldest waiting request, or goes back to the pool. */
        void free(Connection connection) {
            if (ended) {
                return;
            }
            long waiting = catchUp(System.nanoTime());
            if (sent < due) {
                send(connection, sent++, waiting);
            } else {
                idle.push(connection);
            }
        }

        void answered(Connection connection, boolean keepAlive) {
            long now = System.nanoTime();
            long index = connection.index;
            connection.index = -1;
            if (connection.status == 200 && connection.bodyBytes == expectedBody) {
                ok++;
                latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intended(index)) / 1000)));
            } else if (connection.status != 200) {
                error("HTTP " + connection.status);
            } else {
                error("body of " + connection.bodyBytes + " bytes");
            }
            finished++;
            lastAnswer = now;
            if (keepAlive) {
                free(connection);
            } else {
                connection.channel.close(); // the server said so: it reconnects once closed
            }
            finishIfComplete();
        }

        void closed(Connection connection) {
            if (ended) {
                return;
            }
            idle.remove(connection);
            if (connection.index >= 0) {
                connection.index = -1;
                error("connection closed");
                finished++;
                finishIfComplete();
            }
            if (!ended) {
                reconnects++;
                connection.open().addListener(future -> {
                    if (future.isSuccess()) {
                        free(connection);
                    } else {
                        error("reconnect failed");
                    }
                });
            }
        }

        void error(String kind) {
            errors.merge(kind, 1L, Long::sum);
        }

        void finishIfComplete() {
            if (finished == total) {
                end();
            }
        }

        /**
         * The drain time is over: whatever is still unanswered (in flight, or never sent for want of a connection)
         * counts as such, its latency recorded as what it had waited so far.
         */
        void cutOff() {
            if (ended) {
                return;
            }
            long now = System.nanoTime();
            for (Connection connection : connections) {
                if (connection.index >= 0) {
                    recordUnanswered(now, connection.index);
                    connection.index = -1;
                }
            }
            for (long index = sent; index < total; index++) {
                recordUnanswered(now, index);
            }
            end();
        }

        void recordUnanswered(long now, long index) {
            unanswered++;
            latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (now - intended(index)) / 1000)));
        }

        void end() {
            ended = true;
            int used = (int) connections.stream().filter(c -> c.used).count();
            double seconds = ((lastAnswer > 0 ? lastAnswer : System.nanoTime()) - start) / 1e9;
            done.complete(new Result(
                    rate,
                    total,
                    ok,
                    new TreeMap<>(errors),
                    unanswered,
                    Math.max(0, seconds),
                    latency,
                    sendLag,
                    waitedForConnection,
                    used,
                    reconnects));
        }

        void closeAll() {
            loop.submit(() -> {
                        ended = true;
                        connections.forEach(c -> {
                            if (c.channel != null) {
                                c.channel.close();
                            }
                        });
                    })
                    .awaitUninterruptibly(10, TimeUnit.SECONDS);
        }

        /** One pooled connection; a new channel replaces a closed one. */
        final class Connection {
            Channel channel;
            long index = -1;
            int status;
            long bodyBytes;
            boolean keepAlive;
            boolean used;

            ChannelFuture open() {
                ChannelFuture future = bootstrap
                        .clone()
                        .handler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline().addLast(new HttpResponseDecoder(), new Handler(Connection.this));
                            }
                        })
                        .connect();
                channel = future.channel();
                return future;
            }
        }

        final class Handler extends SimpleChannelInboundHandler<HttpObject> {
            private final Connection connection;

            Handler(Connection connection) {
                this.connection = connection;
            }

            @Override
            protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
                if (message.decoderResult().isFailure()) {
                    ctx.close();
                    return;
                }
                if (connection.index < 0) {
                    return; // an answer nobody asked for (after a cut-off): ignored
                }
                if (message instanceof HttpResponse response) {
                    connection.status = response.status().code();
                    connection.keepAlive =
                            !response.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE, true);
                }
                if (message instanceof HttpContent content) {
                    connection.bodyBytes += content.content().readableBytes();
                }
                if (message instanceof LastHttpContent) {
                    answered(connection, connection.keepAlive);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                if (ctx.channel() == connection.channel) {
                    closed(connection);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }
}
