package dev.projectdashboard.pushservice.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.springframework.boot.convert.DurationStyle;

/**
 * When to try a failed delivery again: one delay per retry, source 003's {@code PUSH_RETRY_DELAYS} (10 s, 30 s, 90 s
 * by default, so at most 3 retries). A delay varies by ±10 % so that deliveries failed together do not return together,
 * and a receiver's longer {@code Retry-After} is honoured up to a cap.
 *
 * @param delays the delay before the first retry, the second, …; 0 to 20 of them, each 1 s to 24 h
 */
public record RetrySchedule(List<Duration> delays) {

    public static final int MAX_RETRIES = 20;
    public static final Duration MIN_DELAY = Duration.ofSeconds(1);
    public static final Duration MAX_DELAY = Duration.ofHours(24);

    /** How far a delay may move either way. */
    static final double JITTER = 0.10;

    private static final RetrySchedule DEFAULTS =
            new RetrySchedule(List.of(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90)));

    /**
     * @throws IllegalArgumentException naming {@code PUSH_RETRY_DELAYS} when there are too many delays or one is out of
     *     range
     */
    public RetrySchedule {
        Objects.requireNonNull(delays, "delays");
        if (delays.size() > MAX_RETRIES) {
            throw new IllegalArgumentException(
                    "PUSH_RETRY_DELAYS: at most " + MAX_RETRIES + " retry delays, got " + delays.size());
        }
        for (Duration delay : delays) {
            if (delay == null || delay.compareTo(MIN_DELAY) < 0 || delay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException(
                        "PUSH_RETRY_DELAYS: each retry delay must be 1s to 24h, got " + delay);
            }
        }
        delays = List.copyOf(delays);
    }

    /** Source 003's schedule: 10 s, 30 s, 90 s. */
    public static RetrySchedule defaults() {
        return DEFAULTS;
    }

    /**
     * Reads {@code "10s,30s,90s"}: comma-separated durations in Spring Boot's forms ({@code 500ms}, {@code 10s},
     * {@code 2m}, {@code 1h}, {@code PT10S}); a bare number is seconds, as in the source's {@code [10, 30, 90]}. An
     * empty text means no retries.
     *
     * @throws IllegalArgumentException naming {@code PUSH_RETRY_DELAYS} and the part that is not a duration
     */
    public static RetrySchedule parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return new RetrySchedule(List.of());
        }
        List<Duration> delays = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            try {
                delays.add(DurationStyle.detectAndParse(part.strip(), ChronoUnit.SECONDS));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("PUSH_RETRY_DELAYS: '" + part.strip()
                        + "' is not a duration (e.g. 10s, 2m, 1h; a bare number is seconds)");
            }
        }
        return new RetrySchedule(delays);
    }

    /** How many retries follow the first attempt. */
    public int maxRetries() {
        return delays.size();
    }

    /**
     * When to try again after {@code failedAttempts} attempts have failed, or empty when the retries are used up (then
     * the delivery goes to the dead-letter queue).
     *
     * @param failedAttempts attempts made so far, all failed: 1 after the first attempt
     * @param retryAfter what the receiver's {@code Retry-After} asked for ({@link RetryAfter#parse}), or null; it
     *     replaces the scheduled delay when longer
     * @param retryAfterCap the longest {@code Retry-After} honoured
     * @param random source of the jitter
     */
    public Optional<Instant> next(
            int failedAttempts, Instant now, Duration retryAfter, Duration retryAfterCap, RandomGenerator random) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(retryAfterCap, "retryAfterCap");
        Objects.requireNonNull(random, "random");
        if (failedAttempts < 1) {
            throw new IllegalArgumentException("failedAttempts must be at least 1, got " + failedAttempts);
        }
        if (failedAttempts > delays.size()) {
            return Optional.empty();
        }
        Duration scheduled = delays.get(failedAttempts - 1);
        double factor = 1 + JITTER * (2 * random.nextDouble() - 1);
        Duration delay = Duration.ofMillis(Math.round(scheduled.toMillis() * factor));
        if (delay.compareTo(MIN_DELAY) < 0) {
            delay = MIN_DELAY;
        }
        if (retryAfter != null && !retryAfter.isNegative()) {
            Duration asked = retryAfter.compareTo(retryAfterCap) > 0 ? retryAfterCap : retryAfter;
            if (asked.compareTo(delay) > 0) {
                delay = asked;
            }
        }
        return Optional.of(now.plus(delay));
    }
}
