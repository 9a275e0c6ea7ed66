package dev.projectdashboard.devicebridge.domain;

import java.util.regex.Pattern;

/** What a device id may be: a topic level, an object-key prefix and a broker username at once. */
public final class DeviceIds {

    /** In words, for error messages. */
    public static final String RULE = "1-64 characters of ASCII letters, digits, _ and -";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private DeviceIds() {}

    public static boolean isValid(String id) {
        return id != null && ID.matcher(id).matches();
    }
}
