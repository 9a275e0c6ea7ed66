package dev.projectdashboard.realtimeservice.policy;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.time.Duration;
import java.util.function.LongSupplier;

/** The subscribe proxy's recent answers: bounded in number, each kept for its own time to live (allow or deny). */
final class AnswerCache {

    private record Answer(boolean allowed, Duration ttl) {}

    private final Cache<String, Answer> answers;

    /** @param nanoClock what the time to live is measured with ({@link System#nanoTime} outside tests) */
    AnswerCache(int maxSize, LongSupplier nanoClock) {
        this.answers = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(nanoClock::getAsLong)
                .expireAfter(Expiry.writing((String key, Answer answer) -> answer.ttl()))
                .build();
    }

    /** The cached answer, or {@code null} when there is none or it expired. */
    Boolean get(String key) {
        Answer answer = answers.getIfPresent(key);
        return answer == null ? null : answer.allowed();
    }

    void put(String key, boolean allowed, Duration ttl) {
        if (ttl.isZero()) {
            return;
        }
        answers.put(key, new Answer(allowed, ttl));
    }

    /** Answers held (after pending evictions ran): for tests and diagnostics. */
    int size() {
        answers.cleanUp();
        return Math.toIntExact(answers.estimatedSize());
    }
}
