package dev.projectdashboard.pushservice.retry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTests {

    private static final Instant NOW = Instant.parse("2025-01-14T10:30:00Z");

    @Test
    void readsDeltaSeconds() {
        assertThat(RetryAfter.parse("120", NOW)).contains(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW)).contains(Duration.ZERO);
        assertThat(RetryAfter.parse("86400", NOW)).contains(Duration.ofDays(1));
    }

    @Test
    void readsImfFixdate() {
        assertThat(RetryAfter.parse("Tue, 14 Jan 2025 10:32:00 GMT", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Tue, 14 Jan 2025 10:30:00 GMT", NOW)).contains(Duration.ZERO);
    }

    @Test
    void readsTheObsoleteDateForms() {
        assertThat(RetryAfter.parse("Tuesday, 14-Jan-25 10:32:00 GMT", NOW)).contains(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse("Tue Jan 14 10:32:00 2025", NOW)).contains(Duration.ofMinutes(2));
        // RFC 9110's own examples, one second before the date
        Instant before = Instant.parse("1994-11-06T08:49:36Z");
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:37 GMT", before)).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", before)).contains(Duration.ofSeconds(1));
        assertThat(RetryAfter.parse("Sun Nov  6 08:49:37 1994", before)).contains(Duration.ofSeconds(1));
    }

    @Test
    void readsATwoDigitYearAsNoMoreThanFiftyYearsAhead() {
        // from 2025, "94" is 1994 (2094 would be 69 years ahead): a date long past
        assertThat(RetryAfter.parse("Sunday, 06-Nov-94 08:49:37 GMT", NOW)).isEmpty();
        // from 2025, "70" is 2070 (45 years ahead), not 1970: a long wait
        assertThat(RetryAfter.parse("Wednesday, 01-Jan-70 00:00:00 GMT", NOW).orElseThrow())
                .isGreaterThan(Duration.ofDays(365 * 44));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(
            strings = {
                "",
                "  ",
                "-5",
                "+5",
                "1.5",
                "10s",
                "soon",
                "99999999999999999999",
                "Mon, 13 Jan 2025 10:30:00 GMT",
                "Tue, 14 Jan 2025 10:29:59 GMT",
                "Tue, 14 Jan 2025 25:00:00 GMT",
                "2025-01-14T10:32:00Z",
            })
    void ignoresWhatIsNotAFutureWait(String header) {
        assertThat(RetryAfter.parse(header, NOW)).isEmpty();
    }
}
