package dev.projectdashboard.deploynotifier.deployment;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * Durations in seconds, as the webhook takes them and the query API and events give them back: fractional ones kept
 * to the microsecond (the resolution of PostgreSQL's timestamps, so a duration sent and one derived from two
 * timestamps are alike), written without trailing zeros or an exponent ({@code 45}, {@code 12.5}, never {@code 45.0}
 * or {@code 4.5E+1}).
 */
public final class Durations {

    /** The longest duration accepted: about 68 years, the bound the webhook documents (docs/deploy-notifier.md). */
    public static final BigDecimal MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    /** Decimal places kept: microseconds. */
    public static final int SCALE = 6;

    private Durations() {}

    /** The duration rounded to the microsecond, in its shortest plain form; {@code null} stays {@code null}. */
    public static BigDecimal seconds(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal rounded = value.setScale(SCALE, RoundingMode.HALF_UP).stripTrailingZeros();
        // stripTrailingZeros turns 450 into 4.5E+2, which Jackson would write as such
        return rounded.scale() < 0 ? rounded.setScale(0) : rounded;
    }

    /** The time from {@code from} to {@code to}; {@code null} when either is unknown or they are out of order. */
    public static BigDecimal between(Instant from, Instant to) {
        if (from == null || to == null || to.isBefore(from)) {
            return null;
        }
        Duration duration = Duration.between(from, to);
        return seconds(BigDecimal.valueOf(duration.getSeconds()).add(BigDecimal.valueOf(duration.getNano(), 9)));
    }
}
