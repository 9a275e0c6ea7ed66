package dev.projectdashboard.bench.realtime;

import dev.projectdashboard.bench.EpochClock;
import dev.projectdashboard.bench.LoadClients;
import java.net.URI;

/** One measured server: where clients connect, how it publishes at a fixed rate, and its memory. */
interface Target extends AutoCloseable {

    /** The two delivery patterns of the issue. */
    enum Mode {
        /** every event to one channel all clients subscribed to ({@code project:bench} / room). */
        BROADCAST,
        /** event k to the personal channel of user k mod N ({@code user:bench-u<k>} / room). */
        PERSONAL
    }

    /** What a publish step sent: events handed to the server, failed publishes, and the deliveries that makes. */
    record Published(long events, long failed, long expectedDeliveries) {}

    /** A memory reading: resident set and heap in use (after a collection where the runtime allows one). */
    record Memory(long rss, long heapUsed) {}

    String label();

    LoadClients.Protocol protocol();

    URI uri();

    /** The port clients connect to (to count the server side's established sockets). */
    default int port() {
        return uri().getPort();
    }

    /**
     * Publishes {@code rate} events per second for {@code seconds} and returns once the last one was handed over
     * (not delivered). Each event's payload ends with {@code "sent_us":<epoch µs>} taken just before it is published.
     *
     * @param subscribers clients subscribed to the broadcast channel (expected deliveries per event)
     * @param users personal channels to cycle through
     */
    Published publish(Mode mode, double rate, double seconds, int pad, int subscribers, int users) throws Exception;

    Memory memory() throws Exception;

    /** Live objects per class (name → {instances, bytes}), where the runtime can tell; empty otherwise. */
    default java.util.Map<String, long[]> heapHistogram() throws Exception {
        return java.util.Map.of();
    }

    /**
     * How far the clock that stamps {@code sent_us} runs ahead of {@link EpochClock} in this JVM, in µs: 0 when
     * this JVM stamps the events itself.
     */
    default long clockOffsetMicros() throws Exception {
        return 0;
    }

    @Override
    void close() throws Exception;
}
