package dev.projectdashboard.realtimeservice.policy;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A token bucket (Bucket4j) for one connection's client publications: {@code burst} at once, refilled at {@code
 * ratePerSecond}. One instance per connection (no shared state, no Redis): a client's publish rate is the business
 * of the replica holding its socket. Thread-safe and never blocks.
 */
public final class PublishRateLimiter {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final Bucket bucket;

    public PublishRateLimiter(double ratePerSecond, int burst) {
        this(ratePerSecond, burst, System::nanoTime);
    }

    /** With a clock in nanoseconds, for tests. */
    public PublishRateLimiter(double ratePerSecond, int burst, LongSupplier nanoClock) {
        if (!(ratePerSecond > 0) || burst < 1) {
            throw new IllegalArgumentException("rate must be positive and burst at least 1");
        }
        // one token every 1/rate seconds, added continuously (greedy), so a fractional rate keeps its meaning
        Duration perToken = Duration.ofNanos(Math.max(1, Math.round(NANOS_PER_SECOND / ratePerSecond)));
        this.bucket = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(1, perToken))
                .withCustomTimePrecision(new TimeMeter() {
                    @Override
                    public long currentTimeNanos() {
                        return nanoClock.getAsLong();
                    }

                    @Override
                    public boolean isWallClockBased() {
                        return false;
                    }
                })
                .build();
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
    public boolean tryAcquire() {
        return bucket.tryConsume(1);
    }
}
