package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.deploynotifier.deployment.Durations;
import dev.projectdashboard.deploynotifier.deployment.Names;
import dev.projectdashboard.deploynotifier.deployment.Times;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads the fields of one JSON object and collects what is wrong with them, so that a refused payload lists every
 * offending field at once. Field names in violations are JSON paths relative to the payload ({@code logs[2].message}).
 * Whatever it returns fits the column it is stored in: no NUL character (PostgreSQL's text types refuse it), no time
 * outside {@link Times}, no text longer than asked.
 */
final class Fields {

    static final int MAX_TEXT = 65_536;

    private static final char NUL = '\0';

    private final JsonNode node;
    private final String prefix;
    private final List<FieldViolation> violations;
    private final List<FieldViolation> sanitized;

    private Fields(JsonNode node, String prefix, List<FieldViolation> violations, List<FieldViolation> sanitized) {
        this.node = node;
        this.prefix = prefix;
        this.violations = violations;
        this.sanitized = sanitized;
    }

    static Fields of(JsonNode node) {
        return new Fields(node, "", new ArrayList<>(), new ArrayList<>());
    }

    Fields nested(JsonNode child, String name) {
        return new Fields(child, prefix + name, violations, sanitized);
    }

    /** The object {@code field} as nested fields; {@code null} (and a violation) when it is missing or no object. */
    Fields object(String field, boolean required) {
        JsonNode value = raw(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (!value.isObject()) {
            reject(field, "must be an object");
            return null;
        }
        return nested(value, field + ".");
    }

    List<FieldViolation> violations() {
        return violations;
    }

    /** What {@link #cleanText} changed, by field. */
    List<FieldViolation> sanitized() {
        return sanitized;
    }

    void reject(String field, String message) {
        violations.add(new FieldViolation(prefix + field, message));
    }

    JsonNode raw(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** The string as sent, or {@code null} when absent; anything but a string is a violation. */
    private String string(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            reject(field, "must be a string");
            return null;
        }
        return value.asString();
    }

    /** A string, or {@code null} when absent; anything but a string is a violation. */
    String text(String field, int maxLength) {
        String text = string(field);
        if (text == null) {
            return null;
        }
        if (text.indexOf(NUL) >= 0) {
            reject(field, "must not contain NUL characters (\\u0000)");
            return null;
        }
        return fitting(field, text, maxLength);
    }

    /** A string or an integer (an id such as {@code workflow_id}, which senders write either way) as text. */
    String textOrInteger(String field, int maxLength) {
        JsonNode value = raw(field);
        return value == null || !value.isIntegralNumber()
                ? text(field, maxLength)
                : fitting(field, value.asString(), maxLength);
    }

    private String fitting(String field, String text, int maxLength) {
        if (text.length() > maxLength) {
            reject(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /**
     * A free text of GitHub's, which people write (workflow, job and step names) and which is better kept than its
     * delivery refused: NUL characters are removed and a text longer than {@code maxLength} is cut; both are recorded
     * in {@link #sanitized()}. Anything but a string is still a violation.
     */
    String cleanText(String field, int maxLength) {
        String text = string(field);
        if (text == null) {
            return null;
        }
        if (text.indexOf(NUL) >= 0) {
            text = text.replace(String.valueOf(NUL), "");
            sanitized.add(new FieldViolation(prefix + field, "NUL characters (\\u0000) were removed"));
        }
        if (text.length() > maxLength) {
            // never between the two halves of a surrogate pair
            int end = Character.isLowSurrogate(text.charAt(maxLength)) ? maxLength - 1 : maxLength;
            text = text.substring(0, end);
            sanitized.add(new FieldViolation(prefix + field, "was cut to " + end + " characters"));
        }
        return text;
    }

    /** A link of GitHub's ({@code html_url}); one that would not fit its column, or has a NUL, is left out. */
    String link(String field, int maxLength) {
        String text = string(field);
        if (text != null && (text.length() > maxLength || text.indexOf(NUL) >= 0)) {
            sanitized.add(new FieldViolation(
                    prefix + field, "was left out: longer than " + maxLength + " characters or holding NUL"));
            return null;
        }
        return text;
    }

    String requiredText(String field, int maxLength) {
        String text = text(field, maxLength);
        if (text == null && raw(field) == null) {
            reject(field, "is required");
        } else if (text != null && text.isBlank()) {
            reject(field, "must not be blank");
            return null;
        }
        return text;
    }

    /** A project name or deployment id: a string (or, for ids, an integer) in the channel alphabet. */
    String identifier(String field, boolean required) {
        JsonNode value = raw(field);
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        String text;
        if (value.isString()) {
            text = value.asString();
        } else if (value.isIntegralNumber()) {
            text = value.asString();
        } else {
            reject(field, "must be a string");
            return null;
        }
        if (!Names.valid(text)) {
            reject(field, "must be 1-128 characters of letters, digits, '.', '_' or '-'");
            return null;
        }
        return text;
    }

    /** A non-negative whole number (a count), or {@code null} when absent. */
    Long wholeNumber(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        if (!value.isNumber() || (!value.isIntegralNumber() && value.asDouble() % 1 != 0)) {
            reject(field, "must be a non-negative whole number");
            return null;
        }
        if (value.asDouble() < 0) {
            reject(field, "must not be negative");
            return null;
        }
        // 1e30 is whole but no long: asLong would throw, and the 400 would not name the field
        if (!value.canConvertToLong()) {
            reject(field, "must be at most " + Long.MAX_VALUE);
            return null;
        }
        return value.asLong();
    }

    /**
     * A duration in seconds, whole or fractional ({@link Durations}), or {@code null} when absent. Only a JSON number:
     * no other number of the webhook is accepted as a string either.
     */
    BigDecimal seconds(String field) {
        JsonNode value = raw(field);
        if (value == null) {
            return null;
        }
        double approximate = value.isNumber() ? value.doubleValue() : Double.NaN;
        if (Double.isNaN(approximate)) {
            reject(field, "must be a non-negative number of seconds");
            return null;
        }
        if (approximate < 0) {
            reject(field, "must not be negative");
            return null;
        }
        // beyond a double's range (1e400) the value reads as Infinity, which has no decimal value
        BigDecimal seconds = Double.isInfinite(approximate) ? null : Durations.seconds(value.decimalValue());
        if (seconds == null || seconds.compareTo(Durations.MAX) > 0) {
            reject(field, "must be at most " + Durations.MAX + " seconds");
            return null;
        }
        return seconds;
    }

    /**
     * An RFC 3339 date-time, or {@code null} when absent or, leniently, when it is a string that is not one (the
     * contract's own {@code log_batch} example carries {@code "timestamp": "..."}, see docs/contracts.md); anything but
     * a string is a violation.
     */
    Instant instantOrUnknown(String field) {
        String text = text(field, 64);
        return text == null ? null : inRange(field, Times.parse(text));
    }

    /** An RFC 3339 date-time, or {@code null} when absent. */
    Instant instant(String field) {
        String text = text(field, 64);
        if (text == null) {
            return null;
        }
        Instant instant = Times.parse(text);
        if (instant == null) {
            reject(field, "must be an RFC 3339 date-time such as 2024-01-01T12:00:00.000Z");
        }
        return inRange(field, instant);
    }

    private Instant inRange(String field, Instant instant) {
        if (instant != null && !Times.inRange(instant)) {
            reject(field, "must be a time " + Times.RANGE);
            return null;
        }
        return instant;
    }
}
