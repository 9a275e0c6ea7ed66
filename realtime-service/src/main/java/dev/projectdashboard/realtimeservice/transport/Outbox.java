package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.channel.Publication;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.function.Function;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One connection's outbound queue, bounded in bytes: frames wait here until Netty asks for more (it asks only when
 * earlier writes reached the kernel, so a client that stops reading stops the demand and the queue grows). Over
 * the limit the outbox refuses the frame, stops for good and calls its overflow action once: the connection then
 * closes itself with 3008 and nobody else waits.
 *
 * <p>Thread-safe and non-blocking: {@link #offer} may be called from any number of threads at once (fan-out,
 * event loops, the heartbeat). Publications are queued as they are and rendered by the connection's renderer
 * (which should use {@link Publication#frame} so every connection shares one rendering).
 *
 * <p>What is counted: the UTF-8 size of every frame queued and not yet handed to the socket. What is not: at most
 * 128 frames Netty has already taken ({@code MonoSendMany}'s prefetch) and the kernel's send buffer.
 */
public final class Outbox {

    /** Called for every frame handed to the socket: metrics. */
    public interface Listener {

        /**
         * @param publication the publication the frame was rendered from, or {@code null} for a control frame
         *     (pings not included)
         */
        void sent(Publication publication);

        /** The byte limit was hit: close the connection. Called once, on the offering thread. */
        void overflow();
    }

    private static final Object PING = new Object();
    private static final byte[] EMPTY = new byte[0];
    private static final int PING_SIZE = 2;

    private static final int OPEN = 0;
    private static final int CLOSED = 1;
    private static final int OVERFLOWED = 2;

    private static final AtomicLongFieldUpdater<Outbox> BYTES =
            AtomicLongFieldUpdater.newUpdater(Outbox.class, "bytes");
    private static final AtomicIntegerFieldUpdater<Outbox> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Outbox.class, "state");

    private final long maxBytes;
    private final Function<Publication, String> renderer;
    private final Listener listener;
    // The unsafe (not serialising) unicast sink is safe with several producers *because* its queue is an MPSC
    // queue: offers are lock-free and the drain is guarded by a work-in-progress counter. The serialised sink
    // would fail concurrent emissions instead (FAIL_NON_SERIALIZED).
    private final Sinks.Many<Object> sink;

    private volatile long bytes;
    private volatile int state;

    /**
     * @param maxBytes the limit (dashboard.realtime.connections.outbox-bytes)
     * @param renderer the connection's wire format for publications
     * @param listener metrics and the overflow action
     */
    public Outbox(long maxBytes, Function<Publication, String> renderer, Listener listener) {
        this.maxBytes = maxBytes;
        this.renderer = renderer;
        this.listener = listener;
        Queue<Object> queue = Queues.unboundedMultiproducer().get();
        this.sink = Sinks.unsafe().many().unicast().onBackpressureBuffer(queue);
    }

    /** Queues a publication; {@code false} when the outbox is closed or over its limit (then it overflowed). */
    public boolean offer(Publication publication) {
        // encoded once per publication and wire format (Publication#utf8), shared by every connection: a broadcast
        // to n subscribers used to encode (and measure) the same frame n times on the fan-out thread
        byte[] frame = publication.utf8(renderer.apply(publication));
        return offer(new Rendered(publication, frame), frame.length);
    }

    /** Queues a control frame (e.g. {@code subscribed}, {@code pong}, a Socket.IO ack); same contract. */
    public boolean offer(String frame) {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        return offer(bytes, bytes.length);
    }

    /** Queues a WebSocket ping frame (after what is already queued: a stuck client never answers it). */
    public boolean offerPing() {
        return offer(PING, PING_SIZE);
    }

    /** Bytes queued and not yet handed to the socket. */
    public long queuedBytes() {
        return bytes;
    }

    public boolean isOpen() {
        return state == OPEN;
    }

    /**
     * Stops the outbox: nothing more is accepted, what is still queued is dropped, and {@link #messages} completes
     * (the connection is closing; its close frame goes out on its own).
     */
    public void close() {
        if (STATE.compareAndSet(this, OPEN, CLOSED)) {
            sink.tryEmitComplete();
        }
    }

    /**
     * The frames for {@code WebSocketSession.send}: subscribe once. Completes when the outbox is closed or
     * overflowed, without sending what was still queued.
     */
    public Flux<WebSocketMessage> messages(WebSocketSession session) {
        return sink.asFlux().handle((item, downstream) -> {
            if (state != OPEN) {
                // cancels the queue (its content is discarded) instead of writing frames nobody will read
                downstream.complete();
                return;
            }
            if (item == PING) {
                BYTES.addAndGet(this, -PING_SIZE);
                downstream.next(session.pingMessage(factory -> factory.wrap(EMPTY)));
                return;
            }
            byte[] frame;
            Publication publication = null;
            if (item instanceof Rendered rendered) {
                publication = rendered.publication();
                frame = rendered.frame();
            } else {
                frame = (byte[]) item;
            }
            BYTES.addAndGet(this, -frame.length);
            listener.sent(publication);
            // wraps the shared array (no copy); Netty only reads it, server frames are not masked
            downstream.next(new WebSocketMessage(
                    WebSocketMessage.Type.TEXT, session.bufferFactory().wrap(frame)));
        });
    }

    /** A queued publication with its encoded frame (shared with the other connections: never modified). */
    private record Rendered(Publication publication, byte[] frame) {}

    private boolean offer(Object item, long size) {
        if (state != OPEN) {
            return false;
        }
        if (BYTES.addAndGet(this, size) > maxBytes) {
            BYTES.addAndGet(this, -size);
            if (STATE.compareAndSet(this, OPEN, OVERFLOWED)) {
                sink.tryEmitComplete();
                listener.overflow();
            }
            return false;
        }
        if (sink.tryEmitNext(item).isFailure()) {
            BYTES.addAndGet(this, -size);
            return false;
        }
        return true;
    }
}
