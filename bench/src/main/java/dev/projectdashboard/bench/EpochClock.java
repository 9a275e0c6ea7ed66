package dev.projectdashboard.bench;

import java.time.Instant;

/**
 * Wall-clock time in microseconds since the epoch, read from the monotonic clock after one calibration: senders and
 * receivers in this JVM share it, and node's {@code performance.timeOrigin + performance.now()} is the same
 * kind of clock on the other side, so publish→receive latencies compare across the two processes.
 */
public final class EpochClock {

    private static final long ORIGIN_MICROS;
    private static final long ORIGIN_NANOS;

    static {
        Instant now = Instant.now();
        ORIGIN_NANOS = System.nanoTime();
        ORIGIN_MICROS = now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private EpochClock() {}

    public static long micros() {
        return ORIGIN_MICROS + (System.nanoTime() - ORIGIN_NANOS) / 1_000;
    }
}
