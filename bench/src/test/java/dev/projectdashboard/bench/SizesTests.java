package dev.projectdashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class SizesTests {

    @Test
    void parsesBinaryUnits() {
        assertThat(Sizes.parseList("100MiB, 1GiB,512kib,42")).containsExactly(100L << 20, 1L << 30, 512L << 10, 42L);
    }

    @Test
    void refusesNonsense() {
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse("lots"));
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parse("0MiB"));
        assertThatIllegalArgumentException().isThrownBy(() -> Sizes.parseList(" , "));
    }

    @Test
    void formatsTheLargestWholeUnit() {
        assertThat(Sizes.format(1L << 30)).isEqualTo("1 GiB");
        assertThat(Sizes.format(100L << 20)).isEqualTo("100 MiB");
        assertThat(Sizes.format(1000)).isEqualTo("1000 B");
    }
}
