package dev.projectdashboard.launcher.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints the HS256 user JWTs the services accept in a local run. JSON is written by hand: the claims are
 * fixed and a JSON library would be the launcher's only dependency.
 */
public final class DevTokens {

    /** Same value as service-starter's DevDefaults (dashboard.security.jwt-secret); keep them in step. */
    public static final String DEV_JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef";

    public static final String SECRET_ENV = "DASHBOARD_JWT_SECRET";
    public static final String JWKS_ENV = "DASHBOARD_JWT_JWKS_URI";

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

    private DevTokens() {}

    public record Claims(String subject, boolean admin, List<String> projects, List<String> devices) {

        public List<String> roles() {
            return admin ? List.of("user", "admin") : List.of("user");
        }
    }

    /** The key services verify with, given the environment they get. */
    public static String secret(Map<String, String> serviceEnvironment) {
        String configured = serviceEnvironment.get(SECRET_ENV);
        return configured == null || configured.isBlank() ? DEV_JWT_SECRET : configured;
    }

    /** Short, non-reversible label of a secret, so state files can say which one a suite runs with. */
    public static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    public static String mint(Claims claims, String secret, Instant now, Duration ttl) {
        byte[] key = secret.getBytes(StandardCharsets.UTF_8);
        if (key.length < 32) {
            // Spring Security's HS256 decoder refuses shorter keys, so such a token would never verify.
            throw new IllegalArgumentException(SECRET_ENV + " must be at least 32 bytes for HS256.");
        }
        long issuedAt = now.getEpochSecond();
        String payload = "{\"sub\":" + json(claims.subject())
                + ",\"iat\":" + issuedAt
                + ",\"exp\":" + (issuedAt + ttl.toSeconds())
                + ",\"roles\":" + json(claims.roles())
                + ",\"projects\":" + json(claims.projects())
                + ",\"devices\":" + json(claims.devices())
                + "}";
        String signingInput = encode(HEADER) + "." + encode(payload);
        return signingInput + "." + BASE64URL.encodeToString(hmacSha256(key, signingInput));
    }

    static byte[] hmacSha256(byte[] key, String signingInput) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }

    private static String encode(String json) {
        return BASE64URL.encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String json(List<String> values) {
        return values.stream().map(DevTokens::json).collect(Collectors.joining(",", "[", "]"));
    }

    private static String json(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
