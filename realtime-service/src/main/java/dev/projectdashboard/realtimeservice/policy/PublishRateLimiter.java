package dev.projectdashboard.realtimeservice.policy;

import java.util.function.LongSupplier;

/**
 * A token bucket for one connection's client publications: {@code burst} at once, refilled at {@code
 * ratePerSecond}. One instance per connection (no shared state, no Redis): a client's publish rate is the business
 * of the replica holding its socket. Thread-safe and never blocks.
 */
public final class PublishRateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double tokensPerNano;
    private final double capacity;
    private final LongSupplier nanoClock;
    private double tokens;
    private long refilledAt;

    public PublishRateLimiter(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    public PublishRateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        this.tokensPerNano = ratePerSecond / NANOS_PER_SECOND;
        this.capacity = burst;
        this.nanoClock = nanoClock;
        this.tokens = burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** A limiter with the configured rate and burst. */
    public static PublishRateLimiter of(ClientPublishProperties properties) {
        return new PublishRateLimiter(properties.ratePerSecond(), properties.burst());
    }

    /**
     * Takes one publication from the bucket.
     *
     * @return {@code false} when the connection is over its rate: refuse that publication (error 106) and keep the
     *     connection
     */
    public synchronized boolean tryAcquire() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) * tokensPerNano);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
