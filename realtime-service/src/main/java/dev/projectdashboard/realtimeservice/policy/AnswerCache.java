package dev.projectdashboard.realtimeservice.policy;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The subscribe proxy's recent answers: a bounded map with a time to live per entry. Hand-written because this
 * module has no cache library and the need is tiny (get, put with TTL, a size bound); when full it first drops expired
 * answers, then arbitrary ones, which only costs a proxy call later.
 */
final class AnswerCache {

    private record Answer(boolean allowed, long expiresAt) {}

    private final ConcurrentHashMap<String, Answer> answers = new ConcurrentHashMap<>();
    private final int maxSize;
    private final LongSupplier nanoClock;

    AnswerCache(int maxSize, LongSupplier nanoClock) {
        this.maxSize = maxSize;
        this.nanoClock = nanoClock;
    }

    /** The cached answer, or {@code null} when there is none or it expired. */
    Boolean get(String key) {
        Answer answer = answers.get(key);
        if (answer == null) {
            return null;
        }
        if (answer.expiresAt - nanoClock.getAsLong() <= 0) {
            answers.remove(key, answer);
            return null;
        }
        return answer.allowed;
    }

    void put(String key, boolean allowed, Duration ttl) {
        if (ttl.isZero()) {
            return;
        }
        if (answers.size() >= maxSize && !answers.containsKey(key)) {
            makeRoom();
        }
        answers.put(key, new Answer(allowed, nanoClock.getAsLong() + ttl.toNanos()));
    }

    int size() {
        return answers.size();
    }

    private void makeRoom() {
        long now = nanoClock.getAsLong();
        answers.values().removeIf(answer -> answer.expiresAt - now <= 0);
        // still full of live answers: drop a tenth so that eviction does not run on every put
        int excess = answers.size() - maxSize + Math.max(1, maxSize / 10);
        Iterator<String> keys = answers.keySet().iterator();
        while (excess-- > 0 && keys.hasNext()) {
            keys.next();
            keys.remove();
        }
    }
}
