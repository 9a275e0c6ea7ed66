package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.Connection;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;

/**
 * Base of a hub {@link Connection} over a WebSocket, whatever the protocol on top (native {@code /ws}, Socket.IO):
 * owns the byte-bounded {@link Outbox}, the heartbeat state, token expiry, the close sequence and the connection
 * meters. A protocol subclass renders frames and handles inbound text.
 *
 * <p>Life cycle: the {@code WebSocketHandler} creates the subclass and returns {@link #run()}. {@code run} calls
 * {@link #opened()} (send the greeting, register with the hub), then feeds every inbound text frame to {@link
 * #onText}, and when the connection ends, however it ends, calls {@link #closed()} once (unregister from the hub).
 *
 * <p>Closing ({@link #close}): counts {@code dashboard.realtime.disconnects{reason}}, drops what is still queued,
 * writes the close frame (code of the {@link CloseReason}) and, if the client does not complete the close within
 * {@code close-grace} (e.g. it stopped reading, so the close frame sits behind unread data), cuts the TCP
 * connection. Heartbeat ({@link ConnectionSupervisor}): {@link #sendPing()} every {@code ping-interval} (WebSocket
 * ping by default; Socket.IO overrides it with its {@code 2}); any inbound frame, pongs included, counts as a sign
 * of life; silence for {@code ping-interval + pong-timeout} closes with 3012; a token expiry set with {@link
 * #expiresAt(Instant)} closes with 3109 when it passes.
 *
 * <p>{@link #transport()} is called from this constructor: return a constant.
 *
 * <p>Thread-safety: {@link #deliver}, {@link #send}, {@link #close} may be called from any thread; {@link #onText}
 * is called on the connection's event loop, one frame at a time, and must not block.
 */
public abstract class WebSocketConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final AtomicIntegerFieldUpdater<WebSocketConnection> STATE =
            AtomicIntegerFieldUpdater.newUpdater(WebSocketConnection.class, "state");

    protected final WebSocketSession session;
    protected final ConnectionSupport support;
    private final String id;
    private final Instant connectedAt;
    private final TransportMetrics.Meters meters;
    private final Outbox outbox;
    private final long pingIntervalNanos;
    private final long silenceLimitNanos;

    // null until known: a Socket.IO connection learns it from its CONNECT packet
    private volatile @Nullable Reader reader;
    private volatile long expiresAtMillis;
    private volatile long lastInboundNanos;
    private volatile long lastPingNanos;
    private volatile int state;

    /**
     * @param session the WebSocket session (a {@link NettyChannelSession} when upgraded by {@link
     *     ChannelAwareUpgradeStrategy}; other sessions work but cannot be force-closed)
     * @param reader the verified user, or a public reader without a token ({@code null} until known)
     * @param support the replica's connection settings, meters and heartbeat
     * @param renderer this protocol's frame for a publication; use {@link Publication#frame} so it is rendered once
     *     per replica, not once per connection
     */
    protected WebSocketConnection(
            WebSocketSession session,
            @Nullable Reader reader,
            ConnectionSupport support,
            Function<Publication, String> renderer) {
        this.session = session;
        this.reader = reader;
        this.support = support;
        this.id = randomId();
        this.connectedAt = Instant.now();
        this.pingIntervalNanos = support.properties().pingInterval().toNanos();
        this.silenceLimitNanos =
                pingIntervalNanos + support.properties().pongTimeout().toNanos();
        long now = System.nanoTime();
        this.lastInboundNanos = now;
        this.lastPingNanos = now;
        TransportMetrics.Meters meters = support.metrics().of(transport());
        this.meters = meters;
        this.outbox = new Outbox(support.properties().outboxBytes().toBytes(), renderer, new Outbox.Listener() {
            @Override
            public void sent(@Nullable Publication publication) {
                meters.sent(
                        publication == null || publication.time() == null
                                ? 0
                                : publication.time().toEpochMilli());
            }

            @Override
            public void overflow() {
                close(CloseReason.SLOW_CLIENT);
            }
        });
    }

    /**
     * 22 url-safe characters (128 random bits) for connection and session ids. Not {@code UUID.randomUUID()}: its
     * {@code SecureRandom} may read {@code /dev/random} on first use, a blocking call on an event loop. The ids name
     * connections, they grant nothing, so a non-cryptographic generator is enough.
     */
    public static String randomId() {
        byte[] bytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The protocol greeting and hub registration; an error closes the connection ({@link #closeReasonFor}). */
    protected abstract Mono<Void> opened();

    /** One inbound text frame, on the event loop; must not block. */
    protected abstract void onText(String text);

    /** The connection is over (called once, whatever ended it): unregister from the hub here. */
    protected abstract void closed();

    /** How an error of {@link #opened()} closes the connection; {@link CloseReason#BAD_REQUEST} unless overridden. */
    protected CloseReason closeReasonFor(Throwable error) {
        return CloseReason.BAD_REQUEST;
    }

    /** A binary frame: this suite's protocols are text only, so by default the connection closes (3501). */
    protected void onBinary(WebSocketMessage message) {
        close(CloseReason.BAD_REQUEST);
    }

    /** The heartbeat's ping: a WebSocket ping frame; Socket.IO sends its Engine.IO ping instead. */
    protected void sendPing() {
        outbox.offerPing();
    }

    /**
     * Runs the connection until it closes: return this from the {@code WebSocketHandler}. Inbound and outbound run
     * side by side (not {@code Mono.zip}, which would end both when one completes empty).
     */
    public final Mono<Void> run() {
        support.supervisor().add(this);
        meters.open().incrementAndGet();
        Mono<Void> outbound = session.send(outbox.messages(session));
        Mono<Void> inbound = session.receive()
                .doOnNext(this::receive)
                .then()
                .onErrorResume(error -> {
                    log.debug("connection {} inbound ended with {}", id, error.toString());
                    return Mono.empty();
                })
                .doFinally(signal -> peerClosed());
        Mono<Void> start = Mono.defer(this::opened).onErrorResume(error -> {
            close(closeReasonFor(error));
            return Mono.empty();
        });
        // the handler must not complete before the TCP connection is closed: Reactor Netty would drop it at once,
        // and with it a close frame still waiting behind data a slow client has not read yet
        Mono<Void> closedChannel = session instanceof NettyChannelSession netty ? netty.whenClosed() : Mono.empty();
        return Mono.when(outbound, start.then(inbound))
                .onErrorResume(error -> {
                    log.debug("connection {} ended with {}", id, error.toString());
                    return Mono.empty();
                })
                .then(Mono.defer(() -> {
                    // both directions are over; if nobody closed (e.g. the outbound failed), close now
                    close(CloseReason.NORMAL);
                    return closedChannel;
                }))
                .doFinally(signal -> finish());
    }

    /**
     * Queues a protocol frame (reply, greeting, error event). Over the byte limit the connection closes with 3008
     * like for publications.
     *
     * @return {@code false} when the connection is closed or overflowed
     */
    public boolean send(String frame) {
        return outbox.offer(frame);
    }

    @Override
    public boolean deliver(Publication publication) {
        return outbox.offer(publication);
    }

    @Override
    public void close(CloseReason reason) {
        if (!STATE.compareAndSet(this, OPEN, CLOSED)) {
            return;
        }
        support.metrics().disconnected(reason);
        outbox.close();
        session.close(new CloseStatus(reason.code(), reason.text()))
                .subscribe(null, error -> log.debug("close frame of {} not written: {}", id, error.toString()));
        forceCloseAfter(support.properties().closeGrace());
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public DashboardPrincipal principal() {
        Reader current = reader;
        return current == null ? null : current.principal();
    }

    @Override
    public Reader reader() {
        return reader;
    }

    @Override
    public Instant connectedAt() {
        return connectedAt;
    }

    /** Sets who reads: the token's user (after a refresh: same user, possibly other claims) or a public reader. */
    protected void reader(Reader reader) {
        this.reader = reader;
    }

    /** When the connection's token expires ({@code null}: never); the heartbeat closes it then with 3109. */
    protected void expiresAt(@Nullable Instant expiresAt) {
        this.expiresAtMillis = expiresAt == null ? 0 : Math.max(1, expiresAt.toEpochMilli());
    }

    /** Bytes waiting in this connection's outbox. */
    public long queuedBytes() {
        return outbox.queuedBytes();
    }

    void heartbeat(long nowNanos, long nowMillis) {
        if (state != OPEN) {
            return;
        }
        long expires = expiresAtMillis;
        if (expires > 0 && nowMillis >= expires) {
            close(CloseReason.TOKEN_EXPIRED);
            return;
        }
        if (nowNanos - lastInboundNanos > silenceLimitNanos) {
            close(CloseReason.NO_PONG);
            return;
        }
        if (nowNanos - lastPingNanos >= pingIntervalNanos) {
            lastPingNanos = nowNanos;
            sendPing();
        }
    }

    private void receive(WebSocketMessage message) {
        lastInboundNanos = System.nanoTime();
        if (state != OPEN) {
            return;
        }
        switch (message.getType()) {
            case TEXT -> {
                try {
                    onText(message.getPayloadAsText());
                } catch (RuntimeException e) {
                    log.warn("connection {} failed on an inbound frame", id, e);
                    close(CloseReason.BAD_REQUEST);
                }
            }
            case BINARY -> onBinary(message);
            default -> {
                // pong (a sign of life, already noted) or ping (answered by Netty)
            }
        }
    }

    private void peerClosed() {
        if (STATE.compareAndSet(this, OPEN, CLOSED)) {
            support.metrics().disconnected(TransportMetrics.CLIENT);
            outbox.close();
            // Reactor Netty answers the client's close frame and closes; this only bounds a peer that never does
            forceCloseAfter(support.properties().closeGrace());
        }
    }

    private void finish() {
        meters.open().decrementAndGet();
        support.supervisor().remove(this);
        peerClosed();
        try {
            closed();
        } catch (RuntimeException e) {
            log.warn("cleanup of connection {} failed", id, e);
        }
    }

    private void forceCloseAfter(Duration grace) {
        if (session instanceof NettyChannelSession netty) {
            netty.forceCloseAfter(grace);
        }
    }
}
