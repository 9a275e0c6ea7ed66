package dev.projectdashboard.deploynotifier.deployment;

import java.util.regex.Pattern;

/** Project names and deployment ids become channel names ({@code project:{name}}), so they keep to its alphabet. */
public final class Names {

    /** The channel alphabet, as a regular expression (for {@code @Pattern}). */
    public static final String REGEX = "[A-Za-z0-9._-]{1,128}";

    /** How a refusal says it. */
    public static final String RULE = "must be 1-128 letters, digits, '.', '_' or '-'";

    private static final Pattern PATTERN = Pattern.compile(REGEX);

    private Names() {}

    public static boolean valid(String name) {
        return PATTERN.matcher(name).matches();
    }
}
