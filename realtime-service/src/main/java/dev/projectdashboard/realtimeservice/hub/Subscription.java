package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One connection's subscription to one channel: its position (epoch, last offset delivered) and, while a
 * subscribe is reading history, the live publications that arrived meanwhile. Every delivery to the connection
 * for this channel goes through here under its lock, so replay and live publications never interleave and none is
 * delivered twice.
 */
final class Subscription {

    final Connection connection;
    final ChannelName channel;
    private String epoch = "";
    private long lastOffset;
    private List<Publication> buffer;
    private boolean closed;

    Subscription(Connection connection, ChannelName channel) {
        this.connection = connection;
        this.channel = channel;
    }

    /** A live publication from the fan-out. */
    synchronized void offer(Publication publication) {
        if (closed) {
            return;
        }
        if (buffer != null) {
            buffer.add(publication);
            return;
        }
        deliverLive(publication);
    }

    /** Starts buffering live publications; false when a subscribe is already under way. */
    synchronized boolean startRecovery() {
        if (buffer != null) {
            return false;
        }
        buffer = new ArrayList<>();
        return true;
    }

    /** Whether this subscription has been live before (a re-subscribe). */
    synchronized boolean hasPosition() {
        return !epoch.isEmpty() || lastOffset > 0;
    }

    /**
     * Ends a subscribe: tells the session (its {@code subscribed} frame), delivers the replay, moves the position
     * to where the replay (or the channel's top) ends, then the buffered live publications after it, then live.
     *
     * @param keepPosition a re-subscribe that replayed nothing keeps the position it had: buffered publications after
     *     it were not delivered yet
     */
    synchronized void finish(
            Subscribed subscribed,
            List<Publication> replay,
            String topEpoch,
            long top,
            boolean keepPosition,
            Consumer<Subscribed> beforeReplay) {
        List<Publication> buffered = buffer;
        buffer = null;
        if (closed) {
            return;
        }
        beforeReplay.accept(subscribed);
        for (Publication publication : replay) {
            connection.deliver(publication);
        }
        if (!(keepPosition && epoch.equals(topEpoch))) {
            epoch = topEpoch;
            lastOffset = top;
        }
        if (buffered != null) {
            for (Publication publication : buffered) {
                deliverLive(publication);
            }
        }
    }

    /** A subscribe failed: deliver what was buffered as if it had not started. */
    synchronized void abort() {
        List<Publication> buffered = buffer;
        buffer = null;
        if (buffered != null && !closed) {
            buffered.forEach(this::deliverLive);
        }
    }

    synchronized void close() {
        closed = true;
        buffer = null;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void deliverLive(Publication publication) {
        if (publication.offset() <= 0) {
            connection.deliver(publication); // ephemeral: no position
            return;
        }
        if (publication.epoch().equals(epoch)) {
            if (publication.offset() <= lastOffset) {
                return; // replayed already, or delivered before a re-subscribe
            }
            if (publication.offset() > lastOffset + 1) {
                // a publication went missing between Redis and here (fan-out trimmed while we lagged): the client
                // must reconnect and recover rather than silently miss it
                closed = true;
                connection.close(CloseReason.INSUFFICIENT_STATE);
                return;
            }
        }
        epoch = publication.epoch();
        lastOffset = publication.offset();
        connection.deliver(publication);
    }
}
