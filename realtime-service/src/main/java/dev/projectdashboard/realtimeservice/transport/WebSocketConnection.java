package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.channel.Reader;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.Connection;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * A hub {@link Connection} over a WebSocket, whatever the {@link Protocol} on top (native {@code /ws}, Socket.IO):
 * owns the byte-bounded {@link Outbox}, the heartbeat state, token expiry, the close sequence and the connection
 * meters; the protocol renders frames and handles inbound text.
 *
 * <p>Life cycle: the {@code WebSocketHandler} makes the connection ({@link #of}) and returns {@link #run()}. {@code
 * run} calls the protocol's {@link Protocol#opened()} (send the greeting, register with the hub), then feeds it every
 * inbound text frame, and when the connection ends, however it ends, calls its {@link Protocol#closed()} once
 * (unregister from the hub).
 *
 * <p>Closing ({@link #close}): counts {@code dashboard.realtime.disconnects{reason}}, drops what is still queued,
 * writes the close frame (code of the {@link CloseReason}) and, if the client does not complete the close within
 * {@code close-grace} (e.g. it stopped reading, so the close frame sits behind unread data), cuts the TCP
 * connection. A protocol's {@link Protocol#lastFrame last frame} goes out first and the close follows after the
 * grace. Heartbeat ({@link ConnectionSupervisor}): a ping every {@code ping-interval} (a WebSocket ping unless the
 * protocol has its own, {@link Protocol#pingFrame()}); any inbound frame, pongs included, counts as a sign of life;
 * silence for {@code ping-interval + pong-timeout} closes with 3012; a token expiry set with {@link
 * #expiresAt(Instant)} closes with 3109 when it passes.
 *
 * <p>Thread-safety: {@link #deliver}, {@link #send}, {@link #close} may be called from any thread.
 */
public final class WebSocketConnection implements Connection {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final AtomicIntegerFieldUpdater<WebSocketConnection> STATE =
            AtomicIntegerFieldUpdater.newUpdater(WebSocketConnection.class, "state");

    private final WebSocketSession session;
    private final ConnectionSupport support;
    private final Protocol protocol;
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
    // the protocol's last frame is out: no more publications, the close follows
    private volatile boolean closing;

    private WebSocketConnection(
            WebSocketSession session,
            @Nullable Reader reader,
            ConnectionSupport support,
            Function<WebSocketConnection, Protocol> protocol) {
        this.session = session;
        this.reader = reader;
        this.support = support;
        this.id = randomId();
        this.connectedAt = support.clock().instant();
        this.pingIntervalNanos = support.properties().pingInterval().toNanos();
        this.silenceLimitNanos =
                pingIntervalNanos + support.properties().pongTimeout().toNanos();
        long now = System.nanoTime();
        this.lastInboundNanos = now;
        this.lastPingNanos = now;
        this.protocol = protocol.apply(this);
        TransportMetrics.Meters meters = support.metrics().of(this.protocol.transport());
        this.meters = meters;
        this.outbox =
                new Outbox(support.properties().outboxBytes().toBytes(), this.protocol::frame, new Outbox.Listener() {
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
     * A connection speaking the protocol {@code protocol} makes for it (it may keep the connection, not use it yet).
     *
     * @param session the WebSocket session (a {@link NettyChannelSession} when upgraded by {@link
     *     ChannelAwareUpgradeStrategy}; other sessions work but cannot be force-closed)
     * @param reader the verified user, or a public reader without a token ({@code null} until known)
     * @param support the replica's connection settings, meters and heartbeat
     */
    public static WebSocketConnection of(
            WebSocketSession session,
            @Nullable Reader reader,
            ConnectionSupport support,
            Function<WebSocketConnection, Protocol> protocol) {
        return new WebSocketConnection(session, reader, support, protocol);
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
        Mono<Void> start = Mono.defer(protocol::opened).onErrorResume(error -> {
            close(protocol.closeReasonFor(error));
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
        if (closing || !protocol.accepts(publication)) {
            return true;
        }
        return outbox.offer(publication);
    }

    @Override
    public String transport() {
        return protocol.transport();
    }

    @Override
    public void presence(String channel, PresenceChange change) {
        protocol.presence(channel, change);
    }

    @Override
    public void revoked(ChannelName channel, RealtimeException reason) {
        protocol.revoked(channel, reason);
    }

    /** Closes the connection, after the protocol's last frame for {@code reason} when it has one. */
    @Override
    public void close(CloseReason reason) {
        String last = state == OPEN && !closing ? protocol.lastFrame(reason) : null;
        if (last == null) {
            closeNow(reason);
        } else {
            closeAfter(last, reason);
        }
    }

    /**
     * Sends a last frame and closes later: closing at once would drop it (the outbox discards what is queued when
     * it closes). Publications stop here; the close follows after the close grace in case the client does not close
     * first.
     */
    public void closeAfter(String lastFrame, CloseReason reason) {
        closing = true;
        if (!send(lastFrame)) {
            closeNow(reason);
            return;
        }
        Schedulers.parallel()
                .schedule(
                        () -> closeNow(reason),
                        support.properties().closeGrace().toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private void closeNow(CloseReason reason) {
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

    /** The replica's connection settings, meters and heartbeat. */
    public ConnectionSupport support() {
        return support;
    }

    /** Sets who reads: the token's user (after a refresh: same user, possibly other claims) or a public reader. */
    public void reader(Reader reader) {
        this.reader = reader;
    }

    /** When the connection's token expires ({@code null}: never); the heartbeat closes it then with 3109. */
    public void expiresAt(@Nullable Instant expiresAt) {
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
            String ping = protocol.pingFrame();
            if (ping == null) {
                outbox.offerPing();
            } else {
                send(ping);
            }
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
                    protocol.onText(message.getPayloadAsText());
                } catch (RuntimeException e) {
                    log.warn("connection {} failed on an inbound frame", id, e);
                    close(CloseReason.BAD_REQUEST);
                }
            }
            // this suite's protocols are text only
            case BINARY -> close(CloseReason.BAD_REQUEST);
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
            protocol.closed();
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
