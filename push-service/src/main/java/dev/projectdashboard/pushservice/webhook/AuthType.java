package dev.projectdashboard.pushservice.webhook;

import java.util.Locale;

/** How a webhook authenticates to its endpoint (source 003's {@code AuthType}), by its wire name. */
public enum AuthType {
    NONE("none"),
    BASIC("basic"),
    BEARER("bearer"),
    API_KEY("api_key");

    private final String value;

    AuthType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    /** The type named {@code value} ({@code none}, {@code basic}, {@code bearer}, {@code api_key}), any case. */
    public static AuthType of(String value) {
        String wanted = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        for (AuthType type : values()) {
            if (type.value.equals(wanted)) {
                return type;
            }
        }
        throw new IllegalArgumentException("must be one of none, basic, bearer, api_key");
    }
}
