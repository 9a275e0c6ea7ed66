package dev.projectdashboard.eventbus.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamIdsTests {

    @Test
    void ordersIdsByTimeThenSequenceNotAsStrings() {
        assertThat(StreamIds.compare("9-0", "10-0")).isNegative();
        assertThat(StreamIds.compare("10-2", "10-10")).isNegative();
        assertThat(StreamIds.compare("1700000000000-1", "1700000000000-1")).isZero();
        assertThat(StreamIds.compare("1700000000001-0", "1700000000000-99")).isPositive();
        assertThat(StreamIds.compare("0", StreamIds.ZERO)).isZero();
    }
}
