package dev.projectdashboard.fileservice.domain;

import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation of everything that ends up in an object key. Names are refused, never "repaired": a name that
 * would need repair ({@code ..}, slashes, control characters) is an attack or a bug, and silently changing it
 * would store the file under a name the client does not know. Nothing is written before these checks pass.
 */
public final class FileNames {

    /** S3 keys are at most 1024 bytes; a file name keeps room for the folder, date and id prefix. */
    public static final int MAX_FILE_NAME_BYTES = 255;

    public static final int MAX_KEY_BYTES = 1024;

    /** {@code expire_time}: whole seconds, {@link FileProperties#MIN_EXPIRY} to {@link FileProperties#MAX_EXPIRY}. */
    public static final String EXPIRY_RULE = "must be between 1 and 604800 seconds (7 days)";

    /** Task ids and device ids: letters, digits, {@code _} and {@code -}, at most 64. */
    public static final String ID_PATTERN = "[A-Za-z0-9_-]{1,64}";

    public static final String ID_RULE = "must be 1-64 letters, digits, '_' or '-'";

    private static final Pattern ID = Pattern.compile(ID_PATTERN);

    private FileNames() {}

    /** A task id or device id: letters, digits, {@code _} and {@code -}, at most 64. */
    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw invalid(field, ID_RULE);
        }
        return value;
    }

    /** A single file name: no path, no control characters, not over-long. */
    public static String fileName(String field, String value) {
        String problem = fileNameProblem(value);
        if (problem != null) {
            throw invalid(field, problem);
        }
        return value;
    }

    /** What is wrong with a file name, or {@code null} when it is a valid one. */
    public static String fileNameProblem(String value) {
        String problem = segmentProblem(value);
        // a key with these is not addressable by a path that leaves them unescaped, and many clients do; keys stored
        // before this rule stay readable (objectKey accepts them, and info/DELETE take ?object_key= too)
        if (problem == null && (value.indexOf('%') >= 0 || value.indexOf('?') >= 0 || value.indexOf('#') >= 0)) {
            problem = "must not contain '%', '?' or '#'";
        }
        return problem;
    }

    private static String segmentProblem(String value) {
        if (value == null || value.isBlank()) {
            return "must not be blank";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_FILE_NAME_BYTES) {
            return "must be at most " + MAX_FILE_NAME_BYTES + " bytes";
        }
        if (value.contains("/") || value.contains("\\")) {
            return "must be a file name without '/' or '\\'";
        }
        if (value.contains("..")) {
            return "must not contain '..'";
        }
        if (value.equals(".")) {
            return "must not be '.'";
        }

        if (!value.equals(value.strip())) {
            return "must not start or end with whitespace";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                return "must not contain control characters";
            }
        }
        return null;
    }

    /**
     * An object key as given in a path or parameter: relative, at most 1024 bytes, every segment a valid file
     * name (so no {@code ..}, empty segment or backslash).
     */
    public static String objectKey(String field, String value) {
        String problem = objectKeyProblem(value);
        if (problem != null) {
            throw invalid(field, problem);
        }
        return value;
    }

    /** What is wrong with an object key, or {@code null} when it is a valid one (see {@link #objectKey}). */
    public static String objectKeyProblem(String value) {
        if (value == null || value.isEmpty()) {
            return "must not be empty";
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
            return "must be at most " + MAX_KEY_BYTES + " bytes";
        }
        if (value.startsWith("/")) {
            return "must be a relative key";
        }
        for (String segment : value.split("/", -1)) {
            String problem = segmentProblem(segment);
            if (problem != null) {
                return "every segment " + problem;
            }
        }
        return null;
    }

    /** Whether {@code value}, a file name or an object key, is meant as a key: a file name never holds {@code /}. */
    public static boolean isObjectKey(String value) {
        return value != null && value.indexOf('/') >= 0;
    }

    /**
     * What is wrong with {@code value} as a file name or, when it holds {@code /}, as an object key; {@code null} when
     * nothing is.
     */
    public static String fileOrKeyProblem(String value) {
        return isObjectKey(value) ? objectKeyProblem(value) : fileNameProblem(value);
    }

    /** {@code expire_time} in seconds, 1 s … 7 days; the default when absent. */
    public static Duration expiry(Long seconds, Duration defaultExpiry) {
        if (seconds == null) {
            return defaultExpiry;
        }
        if (seconds < FileProperties.MIN_EXPIRY.toSeconds() || seconds > FileProperties.MAX_EXPIRY.toSeconds()) {
            throw invalid("expire_time", EXPIRY_RULE);
        }
        return Duration.ofSeconds(seconds);
    }

    public static ProblemException invalid(String field, String message) {
        return ProblemException.invalid("Invalid " + field, List.of(new FieldViolation(field, message)));
    }
}
