package dev.projectdashboard.bench.deploynotifier;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** What deploy-notifier answered during one step, tallied from the HTTP client's event loops without locks. */
final class Answers {

    private final Recorder latencyMicros = new Recorder(Duration.ofMinutes(5).toNanos() / 1000, 3);
    private final LongAdder answered = new LongAdder();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    /** "503", "0 ReadTimeoutException" … → count; and the first body or message seen for each. */
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    private final Map<String, String> examples = new ConcurrentHashMap<>();

    void add(WebhookSender.Answer answer) {
        answered.increment();
        latencyMicros.recordValue(Math.max(0, answer.nanos() / 1000));
        if (answer.accepted()) {
            accepted.increment();
        } else if (answer.status() == 202) {
            duplicates.increment();
        } else {
            String kind = answer.status() == 0
                    ? "no answer (" + answer.problem().split(":")[0] + ")"
                    : "HTTP " + answer.status();
            errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
            examples.putIfAbsent(kind, answer.problem() == null ? "" : answer.problem());
        }
    }

    long answered() {
        return answered.sum();
    }

    long accepted() {
        return accepted.sum();
    }

    long duplicates() {
        return duplicates.sum();
    }

    long errorCount() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Error kind → count, sorted by kind. */
    Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((kind, count) -> out.put(kind, count.sum()));
        return out;
    }

    /** Error kind → the first body (problem JSON) or exception seen. */
    Map<String, String> examples() {
        return new TreeMap<>(examples);
    }

    /** Request latencies (µs) recorded since the previous call. */
    Histogram takeLatencies() {
        return latencyMicros.getIntervalHistogram();
    }
}
