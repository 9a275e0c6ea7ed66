package dev.projectdashboard.fileservice.device;

import dev.projectdashboard.fileservice.domain.FileNames;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key of a device upload, {@code {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{file_name}} (UTC), taken apart.
 * The date must be a real calendar date and the time a real time of day (00:00:00 … 23:59:59), and the name part a
 * valid file name ({@link FileNames#fileNameProblem}), so a key a device proposes is one presign could have built.
 *
 * @param deviceId the first segment
 * @param fileName the name after {@code HHmmss_}
 */
record DeviceKey(String deviceId, String fileName) {

    static final String LAYOUT_RULE = "must be {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{file_name}";

    private static final Pattern LAYOUT = Pattern.compile(
            "(?<device>" + FileNames.ID_PATTERN + ")/(?<date>\\d{4}/\\d{2}/\\d{2})/(?<time>\\d{6})_(?<name>.+)");

    // STRICT: 2026/02/30 and 246000 are refused instead of being resolved to another day or time
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("uuuu/MM/dd").withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HHmmss").withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter KEY_TIME =
            DateTimeFormatter.ofPattern("uuuu/MM/dd/HHmmss").withZone(ZoneOffset.UTC);

    /** The key presign builds for a bare file name, from the time of the request. */
    static String build(String deviceId, Instant at, String fileName) {
        return deviceId + "/" + KEY_TIME.format(at) + "_" + fileName;
    }

    /** What is wrong with {@code key} as a device key, or {@code null} when nothing is. */
    static String problem(String key) {
        String problem = FileNames.objectKeyProblem(key);
        if (problem != null) {
            return problem;
        }
        Matcher matcher = LAYOUT.matcher(key);
        if (!matcher.matches()) {
            return LAYOUT_RULE;
        }
        try {
            LocalDate.parse(matcher.group("date"), DATE);
            LocalTime.parse(matcher.group("time"), TIME);
        } catch (DateTimeException notADate) {
            return "must have a valid UTC date and time ({YYYY}/{MM}/{DD}/{HHmmss})";
        }
        String nameProblem = FileNames.fileNameProblem(matcher.group("name"));
        return nameProblem == null ? null : "file name part " + nameProblem;
    }

    /**
     * Whether a presign request's {@code file_name} is meant as a whole key: a name with a separator can be nothing
     * else (as a bare name it would be refused).
     */
    static boolean isPath(String fileName) {
        return fileName.indexOf('/') >= 0;
    }

    /** {@code key} taken apart, or {@code null} when it is no device key. */
    static DeviceKey of(String key) {
        return problem(key) == null ? split(key) : null;
    }

    /** {@code key} taken apart; a 400 naming {@code field} unless it is a device key. */
    static DeviceKey parse(String field, String key) {
        String problem = problem(key);
        if (problem != null) {
            throw FileNames.invalid(field, problem);
        }
        return split(key);
    }

    private static DeviceKey split(String key) {
        Matcher matcher = LAYOUT.matcher(key);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not checked: " + key);
        }
        return new DeviceKey(matcher.group("device"), matcher.group("name"));
    }
}
