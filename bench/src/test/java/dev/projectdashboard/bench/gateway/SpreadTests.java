package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class SpreadTests {

    @Test
    void isMinMedianMaxWhateverTheOrder() {
        Spread spread = Spread.of(3, 1, 2);

        assertThat(spread.min()).isEqualTo(1);
        assertThat(spread.median()).isEqualTo(2);
        assertThat(spread.max()).isEqualTo(3);
        assertThat(spread.format(v -> String.format(Locale.ROOT, "%.0f", v))).isEqualTo("1 / 2 / 3");
    }

    @Test
    void anEvenCountsMedianIsTheMeanOfTheMiddleTwo() {
        assertThat(Spread.of(List.of(4.0, 1.0, 2.0, 10.0)).median()).isEqualTo(3);
    }

    @Test
    void nothingMeasuredIsEmpty() {
        assertThat(Spread.of(List.of()).isEmpty()).isTrue();
        assertThat(Spread.of(5).isEmpty()).isFalse();
    }

    @Test
    void ratiosReadAsPercent() {
        assertThat(Spread.percent(0.754)).isEqualTo("75 %");
        assertThat(Spread.percent(0.0048)).isEqualTo("0.5 %");
        assertThat(Spread.of(0.5, 0.8).map(v -> v * 2).max()).isEqualTo(1.6);
    }
}
