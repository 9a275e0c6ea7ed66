package dev.projectdashboard.devicebridge.domain;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The object key layout of device uploads, {@code {DEVICE_ID}/{YYYY}/{MM}/{DD}/{HHmmss}_{file name}} (docs/contracts.md,
 * Cameras over MQTT), and which {@code file_name}s a device may send: that full path under its own id, or a bare
 * file name the key is built around.
 */
public final class CloudPaths {

    /** Group 1 the device id, 2–4 the date, 5 the time, 6 the file name. */
    private static final Pattern LAYOUT = Pattern.compile("([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{6})_([^/]+)");

    private static final int MAX_NAME_LENGTH = 255;

    private CloudPaths() {}

    /**
     * Why {@code fileName} may not be used by {@code deviceId}, or {@code null} when it may: a bare, safe file name, or
     * the full cloud path under the device's own id with a real date and time.
     */
    public static String problem(String deviceId, String fileName) {
        if (fileName == null || fileName.isEmpty()) {
            return "file_name must not be empty";
        }
        if (fileName.indexOf('/') < 0) {
            return nameProblem(fileName);
        }
        Matcher path = LAYOUT.matcher(fileName);
        if (!path.matches()) {
            return "file_name must be a file name or {device_id}/{YYYY}/{MM}/{DD}/{HHmmss}_{name}";
        }
        if (!path.group(1).equals(deviceId)) {
            return "file_name must lie under the device's own id";
        }
        try {
            LocalDate.of(
                    Integer.parseInt(path.group(2)), Integer.parseInt(path.group(3)), Integer.parseInt(path.group(4)));
            String time = path.group(5);
            LocalTime.of(
                    Integer.parseInt(time.substring(0, 2)),
                    Integer.parseInt(time.substring(2, 4)),
                    Integer.parseInt(time.substring(4, 6)));
        } catch (DateTimeException notADate) {
            return "file_name has no real date and time";
        }
        return nameProblem(path.group(6));
    }

    /** Whether {@code key} is a device-upload key of {@code deviceId}. */
    public static boolean belongsTo(String deviceId, String key) {
        Matcher path = key == null ? null : LAYOUT.matcher(key);
        return path != null && path.matches() && path.group(1).equals(deviceId);
    }

    private static String nameProblem(String name) {
        if (name.length() > MAX_NAME_LENGTH) {
            return "file_name is longer than " + MAX_NAME_LENGTH + " characters";
        }
        if (name.equals(".") || name.equals("..") || name.contains("..")) {
            return "file_name must not contain '..'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return "file_name must not contain control characters or '\\'";
            }
        }
        return null;
    }
}
