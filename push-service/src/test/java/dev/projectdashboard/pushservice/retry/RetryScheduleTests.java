package dev.projectdashboard.pushservice.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryScheduleTests {

    private static final Instant NOW = Instant.parse("2025-01-14T10:30:00Z");
    private static final Duration CAP = Duration.ofHours(1);
    /** nextDouble() of 0.5: no jitter. */
    private static final RandomGenerator MIDDLE = fixed(0.5);

    private final RetrySchedule source = RetrySchedule.defaults();

    @Test
    void defaultsAreSource003sDelays() {
        assertThat(source.delays())
                .containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(90));
        assertThat(source.maxRetries()).isEqualTo(3);
    }

    @Test
    void waitsTheDelayOfEachRetryThenStops() {
        assertThat(source.next(1, NOW, null, CAP, MIDDLE)).contains(NOW.plusSeconds(10));
        assertThat(source.next(2, NOW, null, CAP, MIDDLE)).contains(NOW.plusSeconds(30));
        assertThat(source.next(3, NOW, null, CAP, MIDDLE)).contains(NOW.plusSeconds(90));
        assertThat(source.next(4, NOW, null, CAP, MIDDLE)).isEmpty();
        assertThat(new RetrySchedule(List.of()).next(1, NOW, null, CAP, MIDDLE)).isEmpty();
    }

    @Test
    void jittersByAtMostTenPercentEitherWay() {
        assertThat(source.next(1, NOW, null, CAP, fixed(0.0))).contains(NOW.plusSeconds(9));
        assertThat(source.next(3, NOW, null, CAP, fixed(0.0))).contains(NOW.plusSeconds(81));
        assertThat(source.next(1, NOW, null, CAP, fixed(Math.nextDown(1.0)))).contains(NOW.plusSeconds(11));

        RandomGenerator random = new SplittableRandom(7);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            delays.add(
                    Duration.between(NOW, source.next(1, NOW, null, CAP, random).orElseThrow()));
        }
        assertThat(delays)
                .allSatisfy(delay -> assertThat(delay).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(11)));
        assertThat(Collections.min(delays)).isLessThan(Duration.ofMillis(9_200));
        assertThat(Collections.max(delays)).isGreaterThan(Duration.ofMillis(10_800));
    }

    @Test
    void jitterUsesTheGivenRandomGenerator() {
        Optional<Instant> low = source.next(2, NOW, null, CAP, fixed(0.25));

        assertThat(low).contains(NOW.plusMillis(28_500));
    }

    @Test
    void neverWaitsLessThanOneSecond() {
        RetrySchedule fast = new RetrySchedule(List.of(Duration.ofSeconds(1)));

        assertThat(fast.next(1, NOW, null, CAP, fixed(0.0))).contains(NOW.plusSeconds(1));
    }

    @Test
    void longerRetryAfterReplacesTheDelayUpToTheCap() {
        assertThat(source.next(1, NOW, Duration.ofSeconds(60), CAP, MIDDLE)).contains(NOW.plusSeconds(60));
        assertThat(source.next(1, NOW, Duration.ofHours(5), Duration.ofMinutes(10), MIDDLE))
                .contains(NOW.plusSeconds(600));
        // shorter than the schedule: the schedule stands
        assertThat(source.next(3, NOW, Duration.ofSeconds(5), CAP, MIDDLE)).contains(NOW.plusSeconds(90));
        // the cap is shorter than the schedule: the schedule stands
        assertThat(source.next(3, NOW, Duration.ofHours(1), Duration.ofSeconds(30), MIDDLE))
                .contains(NOW.plusSeconds(90));
        assertThat(source.next(1, NOW, Duration.ofSeconds(-60), CAP, MIDDLE)).contains(NOW.plusSeconds(10));
    }

    @Test
    void retryAfterDoesNotAddRetries() {
        assertThat(source.next(4, NOW, Duration.ofSeconds(60), CAP, MIDDLE)).isEmpty();
    }

    @Test
    void countsFailedAttemptsFromOne() {
        assertThatThrownBy(() -> source.next(0, NOW, null, CAP, MIDDLE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void validatesItsDelaysNamingTheSetting() {
        assertThat(new RetrySchedule(Collections.nCopies(20, Duration.ofSeconds(1))).maxRetries())
                .isEqualTo(20);
        assertThatThrownBy(() -> new RetrySchedule(Collections.nCopies(21, Duration.ofSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PUSH_RETRY_DELAYS: at most 20 retry delays, got 21");
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofMillis(999))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PUSH_RETRY_DELAYS: each retry delay must be 1s to 24h, got PT0.999S");
        assertThat(new RetrySchedule(List.of(Duration.ofHours(24))).maxRetries())
                .isEqualTo(1);
        assertThatThrownBy(() -> new RetrySchedule(List.of(Duration.ofHours(24).plusSeconds(1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetrySchedule(Collections.singletonList(null)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keepsItsOwnCopyOfTheDelays() {
        List<Duration> delays = new ArrayList<>(List.of(Duration.ofSeconds(10)));
        RetrySchedule schedule = new RetrySchedule(delays);

        delays.add(Duration.ofSeconds(20));

        assertThat(schedule.maxRetries()).isEqualTo(1);
    }

    @Test
    void parsesDurationLists() {
        assertThat(RetrySchedule.parse("10s,30s,90s")).isEqualTo(source);
        assertThat(RetrySchedule.parse(" 10 , 30,90 ")).isEqualTo(source);
        assertThat(RetrySchedule.parse("1m,1h,PT10S").delays())
                .containsExactly(Duration.ofMinutes(1), Duration.ofHours(1), Duration.ofSeconds(10));
        assertThat(RetrySchedule.parse("").delays()).isEmpty();
    }

    @Test
    void refusesWhatIsNotADurationList() {
        assertThatThrownBy(() -> RetrySchedule.parse("10s,ten,90s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PUSH_RETRY_DELAYS: 'ten' is not a duration (e.g. 10s, 2m, 1h; a bare number is seconds)");
        assertThatThrownBy(() -> RetrySchedule.parse("10s,,90s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'' is not a duration");
        assertThatThrownBy(() -> RetrySchedule.parse("500ms"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 1s to 24h");
        assertThatThrownBy(() -> RetrySchedule.parse("-10s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be 1s to 24h");
    }

    private static RandomGenerator fixed(double value) {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only nextDouble");
            }

            @Override
            public double nextDouble() {
                return value;
            }
        };
    }
}
