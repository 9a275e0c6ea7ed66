package dev.projectdashboard.bench.pushservice;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * One step's events and what reached the healthy sinks, counted from the sinks' threads without locks. Each event is
 * expected once at every healthy sink: the first arrival is <em>delivered</em> (its latency = arrival − publication,
 * both {@code System.nanoTime()} in this JVM), a repeat at the same sink is a <em>duplicate</em> (push-service sends
 * one delivery per event and webhook, whose {@code webhook-id} a repeat would share). A delivery not at its sink
 * within the timeout of its event's publication is <em>lost</em>; one that came later still is also <em>late</em>.
 */
final class Arrivals {

    /** publishedAt of an event not (yet) published: nanoTime may be any other value, 0 and negatives included. */
    private static final long NOT_PUBLISHED = Long.MIN_VALUE;

    private static final int SECONDS = 600;

    private final int step;
    private final int sinks;
    private final long timeoutNanos;
    /** Publication time per event, {@link #NOT_PUBLISHED} until published. */
    private final AtomicLongArray publishedAt;
    /** Arrivals per event and healthy sink. */
    private final AtomicIntegerArray seen;
    /** Healthy sinks each event still waits for. */
    private final AtomicIntegerArray missing;

    private final Recorder latencyMicros = new Recorder(Duration.ofMinutes(10).toNanos() / 1000, 3);
    private final LongAdder published = new LongAdder();
    private final LongAdder publishFailed = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder inTime = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder unknown = new LongAdder();
    private final LongAdder inWindow = new LongAdder();
    private final AtomicLong lastArrival = new AtomicLong();
    /** The first publication's nanoTime: second 0 of the step. */
    private final AtomicLong origin = new AtomicLong(NOT_PUBLISHED);
    /** Highest latency (µs) of the events published in each second of the step, the last bucket taking the rest. */
    private final AtomicLongArray worstBySecond = new AtomicLongArray(SECONDS);

    private volatile long windowStart = Long.MIN_VALUE;
    private volatile long windowEnd = Long.MAX_VALUE;
    /** Released once per event when its last healthy delivery arrives (the closed-loop step waits on it). */
    private volatile Semaphore completions;

    /**
     * @param capacity events this step may publish at most (indexes 0 … capacity − 1)
     * @param sinks healthy sinks every event is expected at
     */
    Arrivals(int step, int capacity, int sinks, Duration timeout) {
        this.step = step;
        this.sinks = sinks;
        this.timeoutNanos = timeout.toNanos();
        this.publishedAt = new AtomicLongArray(capacity);
        for (int i = 0; i < capacity; i++) {
            publishedAt.set(i, NOT_PUBLISHED);
        }
        this.seen = new AtomicIntegerArray(capacity * sinks);
        this.missing = new AtomicIntegerArray(capacity);
    }

    int step() {
        return step;
    }

    int capacity() {
        return publishedAt.length();
    }

    int sinks() {
        return sinks;
    }

    /** Event {@code index} is about to be published (call before handing it to Redis). */
    void publishing(int index, long nanos) {
        origin.compareAndSet(NOT_PUBLISHED, nanos);
        missing.set(index, sinks);
        publishedAt.set(index, nanos);
        published.increment();
    }

    /** Its publication failed: nothing is expected of it. */
    void publishFailed(int index) {
        publishFailed.increment();
    }

    /** Event {@code index} reached healthy sink {@code sink} at {@code nanos}. */
    void arrived(int sink, int index, long nanos) {
        if (index < 0 || index >= publishedAt.length() || sink < 0 || sink >= sinks) {
            unknown.increment();
            return;
        }
        long sent = publishedAt.get(index);
        if (sent == NOT_PUBLISHED) {
            unknown.increment();
            return;
        }
        if (seen.getAndIncrement(index * sinks + sink) > 0) {
            duplicates.increment();
            return;
        }
        long latency = Math.max(0, nanos - sent);
        latencyMicros.recordValue(
                Math.min(latency / 1000, Duration.ofMinutes(10).toNanos() / 1000));
        int second = (int) Math.min(SECONDS - 1, Math.max(0, (sent - origin.get()) / 1_000_000_000L));
        worstBySecond.accumulateAndGet(second, latency / 1000, Math::max);
        delivered.increment();
        if (latency > timeoutNanos) {
            late.increment();
        } else {
            inTime.increment();
        }
        if (nanos >= windowStart && nanos <= windowEnd) {
            inWindow.increment();
        }
        lastArrival.accumulateAndGet(nanos, Math::max);
        Semaphore waiting = completions;
        if (missing.decrementAndGet(index) == 0 && waiting != null) {
            waiting.release();
        }
    }

    /** A body whose task id names this step but no event of it could have sent. */
    void unknown() {
        unknown.increment();
    }

    /** Arrivals before {@code nanos} do not count as {@link #deliveredInWindow()}. */
    void openWindow(long nanos) {
        windowStart = nanos;
    }

    /** Arrivals after {@code nanos} no longer count as {@link #deliveredInWindow()}. */
    void closeWindow(long nanos) {
        windowEnd = nanos;
    }

    /** Released once per event whose healthy deliveries have all arrived, from now on. */
    void completeInto(Semaphore semaphore) {
        completions = semaphore;
    }

    long published() {
        return published.sum();
    }

    long publishFailures() {
        return publishFailed.sum();
    }

    /** Deliveries expected: published events × healthy sinks. */
    long expected() {
        return (published.sum() - publishFailed.sum()) * sinks;
    }

    /** First arrivals, whenever they came. */
    long delivered() {
        return delivered.sum();
    }

    /** Expected deliveries that did not arrive within the timeout (never, or late). */
    long lost() {
        return expected() - inTime.sum();
    }

    long late() {
        return late.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long unknownArrivals() {
        return unknown.sum();
    }

    /** First arrivals between {@link #openWindow} and {@link #closeWindow}. */
    long deliveredInWindow() {
        return inWindow.sum();
    }

    /** nanoTime of the latest first arrival, 0 before any. */
    long lastArrivalNanos() {
        return lastArrival.get();
    }

    /** Whether every expected delivery has arrived. */
    boolean complete() {
        return delivered.sum() >= expected();
    }

    /**
     * The highest latency (µs) of the events published in seconds {@code [from, to)} of the step (second 0 begins
     * with its first publication); 0 when none arrived.
     */
    long worstMicros(int from, int to) {
        long worst = 0;
        for (int second = Math.max(0, from); second < Math.min(SECONDS, to); second++) {
            worst = Math.max(worst, worstBySecond.get(second));
        }
        return worst;
    }

    /** Latencies (µs) of the first arrivals recorded since the previous call. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }
}
