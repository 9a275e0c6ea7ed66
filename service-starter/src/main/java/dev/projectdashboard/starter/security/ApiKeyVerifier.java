package dev.projectdashboard.starter.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks an {@code X-Api-Key} value against the configured key in constant time. */
public class ApiKeyVerifier {

    /** Header services and backends send the key in. */
    public static final String HEADER = "X-Api-Key";

    private final byte[] expected;

    public ApiKeyVerifier(String apiKey) {
        this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the candidate equals the key; time depends only on the configured key's length. */
    public boolean matches(String candidate) {
        if (candidate == null) {
            return false;
        }
        return MessageDigest.isEqual(expected, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
