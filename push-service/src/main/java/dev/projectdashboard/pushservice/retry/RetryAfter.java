package dev.projectdashboard.pushservice.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} response header (RFC 9110 §10.2.3), which a receiver sends with 429 or 503 to say when to
 * come back.
 */
public final class RetryAfter {

    /** IMF-fixdate, {@code Sun, 06 Nov 1994 08:49:37 GMT}: what senders must send. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    /** asctime, {@code Sun Nov  6 08:49:37 1994}: obsolete, but recipients must read it. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US).withZone(ZoneOffset.UTC);

    private RetryAfter() {}

    /**
     * The wait the header asks for: delta-seconds ({@code 120}) or an HTTP-date, measured from {@code now}. Empty when
     * the header is missing, not one of those forms, negative, or a date already past.
     */
    public static Optional<Duration> parse(String header, Instant now) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.strip();
        if (value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(value)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // more seconds than a long holds
            }
        }
        for (DateTimeFormatter format : List.of(IMF_FIXDATE, rfc850(now), ASCTIME)) {
            try {
                Duration wait = Duration.between(now, format.parse(value, Instant::from));
                return wait.isNegative() ? Optional.empty() : Optional.of(wait);
            } catch (DateTimeParseException e) {
                // try the next form
            }
        }
        return Optional.empty();
    }

    /**
     * rfc850-date, {@code Sunday, 06-Nov-94 08:49:37 GMT}: obsolete, its two-digit year read as RFC 9110 says, never
     * more than 50 years ahead of {@code now}.
     */
    private static DateTimeFormatter rfc850(Instant now) {
        LocalDate base = now.atZone(ZoneOffset.UTC).toLocalDate().minusYears(49);
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, base)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US)
                .withZone(ZoneOffset.UTC);
    }
}
