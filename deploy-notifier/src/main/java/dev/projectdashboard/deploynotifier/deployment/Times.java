package dev.projectdashboard.deploynotifier.deployment;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Times as the webhooks and the query API take them: RFC 3339, between the years 1 and 9999. PostgreSQL stores a wider
 * range (4713 BC to 294276 AD), but RFC 3339 and the contract's {@code 2024-01-01T12:00:00.000Z} have four-digit years,
 * and a time outside them must be refused before it reaches the database, whose refusal would look like an outage.
 */
public final class Times {

    public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    /** How a refusal says it: "must be a time between …". */
    public static final String RANGE = "between 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z";

    private Times() {}

    /** The date-time written in {@code text}, whatever its year; {@code null} when it is no RFC 3339 date-time. */
    public static Instant parse(String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whether the time lies between {@link #EARLIEST} and {@link #LATEST}. */
    public static boolean inRange(Instant instant) {
        return !instant.isBefore(EARLIEST) && !instant.isAfter(LATEST);
    }
}
