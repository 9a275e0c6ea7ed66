package dev.projectdashboard.launcher.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints the short durations people type: {@code 90s}, {@code 5m}, {@code 8h}, {@code 1h30m}, {@code 2d}. */
public final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Durations() {}

    public static Duration parse(String text, String what) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return positive(Duration.parse(value.toUpperCase(Locale.ROOT)), text, what);
            } catch (DateTimeParseException e) {
                throw invalid(text, what);
            }
        }
        if (value.chars().allMatch(Character::isDigit) && !value.isEmpty()) {
            return positive(Duration.ofSeconds(Long.parseLong(value)), text, what);
        }
        Matcher matcher = PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (matcher.find() && matcher.start() == end) {
            long amount = Long.parseLong(matcher.group(1));
            total = total.plus(
                    switch (matcher.group(2)) {
                        case "ms" -> Duration.ofMillis(amount);
                        case "s" -> Duration.ofSeconds(amount);
                        case "m" -> Duration.ofMinutes(amount);
                        case "h" -> Duration.ofHours(amount);
                        default -> Duration.ofDays(amount);
                    });
            end = matcher.end();
        }
        if (end == 0 || end != value.length()) {
            throw invalid(text, what);
        }
        return positive(total, text, what);
    }

    /** Seconds with one decimal, the way start times are shown: {@code 12.3 s}. */
    public static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    /** Coarse human form for token lifetimes: {@code 8 h}, {@code 30 min}, {@code 45 s}. */
    public static String human(Duration duration) {
        if (duration.toSeconds() == 0) {
            return duration.toMillis() + " ms";
        }
        if (duration.toDays() > 0 && duration.toHours() % 24 == 0) {
            return duration.toDays() + " d";
        }
        if (duration.toHours() > 0 && duration.toMinutes() % 60 == 0) {
            return duration.toHours() + " h";
        }
        if (duration.toMinutes() > 0 && duration.toSeconds() % 60 == 0) {
            return duration.toMinutes() + " min";
        }
        return duration.toSeconds() + " s";
    }

    private static Duration positive(Duration duration, String text, String what) {
        if (duration.isZero() || duration.isNegative()) {
            throw invalid(text, what);
        }
        return duration;
    }

    private static UsageException invalid(String text, String what) {
        return new UsageException(
                "Invalid " + what + " '" + text + "': use a positive duration like 90s, 5m, 8h or 1h30m.");
    }
}
