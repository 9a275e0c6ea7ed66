package dev.projectdashboard.bench.devicebridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TallyTests {

    @Test
    void lostIsWhatGotNoMatchedAnswerInTime() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        for (int i = 0; i < 5; i++) {
            tally.sent();
        }
        tally.answered(Duration.ofMillis(3).toNanos(), null);
        tally.answered(Duration.ofMillis(4).toNanos(), "RATE_LIMITED");
        tally.answered(Duration.ofSeconds(6).toNanos(), null);

        assertThat(tally.succeeded()).isEqualTo(1);
        assertThat(tally.errors()).containsEntry("RATE_LIMITED", 1L);
        assertThat(tally.late()).isEqualTo(1);
        assertThat(tally.lost()).isEqualTo(3);
        assertThat(tally.takeLatencies().getTotalCount()).isEqualTo(3);
    }

    @Test
    void errorAnswersAndWrongAnswersAreMismatched() {
        Tally tally = new Tally(Duration.ofSeconds(5));
        tally.sent();
        tally.answered(1_000_000, "STORAGE_UNAVAILABLE");
        tally.wrong("answer on another device's topic", "devices/B/upload/response {}");

        assertThat(tally.mismatched()).isEqualTo(2);
        assertThat(tally.wrongCount()).isEqualTo(1);
        assertThat(tally.examples()).containsKey("answer on another device's topic");
        assertThat(tally.lost()).isZero();
    }
}
