package dev.projectdashboard.bench.devicebridge;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What one fleet sent and got back during one step, counted from the MQTT clients' event loops without locks. An
 * answer is <em>matched</em> when its {@code request_id} is one this device asked and not answered yet; it is
 * <em>in time</em> when it came within the timeout. Lost = sent − matched in time.
 */
final class Tally {

    private final long timeoutNanos;
    private final Recorder latencyMicros = new Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);
    private final LongAdder sent = new LongAdder();
    private final LongAdder publishFailed = new LongAdder();
    private final LongAdder succeeded = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final LongAdder wrong = new LongAdder();
    /** error_code of the error answers (in time) → count. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    /** Why an answer was wrong → the first such answer. */
    private final Map<String, String> examples = new ConcurrentHashMap<>();

    Tally(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    void sent() {
        sent.increment();
    }

    void publishFailed(Throwable error) {
        publishFailed.increment();
        examples.putIfAbsent("publish failed", error.toString());
    }

    /** A matched answer after {@code nanos}: {@code errorCode} null for a success. */
    void answered(long nanos, String errorCode) {
        latencyMicros.recordValue(Math.max(0, nanos / 1000));
        if (nanos > timeoutNanos) {
            late.increment();
        } else if (errorCode == null) {
            succeeded.increment();
        } else {
            errors.computeIfAbsent(errorCode, code -> new LongAdder()).increment();
        }
    }

    /** An answer that is not the one asked for: another request's, another device's, another path. */
    void wrong(String why, String answer) {
        wrong.increment();
        examples.putIfAbsent(why, answer);
    }

    long sentCount() {
        return sent.sum();
    }

    long succeeded() {
        return succeeded.sum();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** No matched answer within the timeout (never answered, answered late, or the publish itself failed). */
    long lost() {
        return sent.sum() - succeeded.sum() - errorCount();
    }

    long late() {
        return late.sum();
    }

    long publishFailures() {
        return publishFailed.sum();
    }

    /** Error answers plus answers that were not the one asked for. */
    long mismatched() {
        return errorCount() + wrong.sum();
    }

    long wrongCount() {
        return wrong.sum();
    }

    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((code, count) -> out.put(code, count.sum()));
        return out;
    }

    Map<String, String> examples() {
        return new TreeMap<>(examples);
    }

    /** Latencies (µs) of the matched answers recorded since the previous call. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }
}
