package dev.projectdashboard.realtimeservice.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AnswerCacheTests {

    private final AtomicLong now = new AtomicLong();

    @Test
    void forgetsAnswersAfterTheirTtl() {
        AnswerCache cache = new AnswerCache(10, now::get);
        cache.put("a", true, Duration.ofSeconds(2));
        cache.put("b", false, Duration.ofSeconds(1));
        assertThat(cache.get("a")).isTrue();
        assertThat(cache.get("b")).isFalse();
        now.addAndGet(Duration.ofMillis(1500).toNanos());
        assertThat(cache.get("a")).isTrue();
        assertThat(cache.get("b")).isNull();
        assertThat(cache.get("missing")).isNull();
    }

    @Test
    void neverHoldsMoreThanItsBoundAndDropsExpiredAnswersFirst() {
        AnswerCache cache = new AnswerCache(100, now::get);
        for (int i = 0; i < 50; i++) {
            cache.put("old-" + i, true, Duration.ofSeconds(1));
        }
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        for (int i = 0; i < 100; i++) {
            cache.put("new-" + i, true, Duration.ofSeconds(60));
        }
        assertThat(cache.size()).isLessThanOrEqualTo(100);
        for (int i = 0; i < 1000; i++) {
            cache.put("more-" + i, false, Duration.ofSeconds(60));
            assertThat(cache.size()).isLessThanOrEqualTo(100);
        }
        assertThat(cache.get("more-999")).isFalse();
    }

    @Test
    void zeroTtlCachesNothing() {
        AnswerCache cache = new AnswerCache(10, now::get);
        cache.put("a", true, Duration.ZERO);
        assertThat(cache.size()).isZero();
    }
}
