package dev.projectdashboard.deploynotifier.ingest;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Decides whether a webhook may be accepted: {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>}
 * with the global secret or the project's own, or {@code Authorization: Bearer <token>}. Every comparison is constant
 * time ({@link MessageDigest#isEqual}); the signature is computed over the bytes as received, before any decoding.
 */
public final class WebhookAuthenticator {

    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";
    private static final String PREFIX = "sha256=";

    private final WebhookProperties properties;

    public WebhookAuthenticator(WebhookProperties properties) {
        this.properties = properties;
    }

    /** How a request was authenticated; {@link #REFUSED} when it was not. */
    public enum Outcome {
        SIGNATURE,
        PROJECT_SIGNATURE,
        TOKEN,
        UNSIGNED_ALLOWED,
        REFUSED
    }

    /**
     * @param project names the project whose own secret may have signed the body; read from the body only when the
     *     global secret did not match (per-project secrets configured)
     */
    public Outcome authenticate(byte[] body, String signatureHeader, String authorization, Supplier<String> project) {
        if (signatureHeader != null) {
            byte[] given = signature(signatureHeader);
            if (given != null) {
                if (matches(properties.secret(), body, given)) {
                    return Outcome.SIGNATURE;
                }
                if (!properties.projectSecrets().isEmpty()) {
                    String name = project.get();
                    String projectSecret =
                            name == null ? null : properties.projectSecrets().get(name);
                    if (matches(projectSecret, body, given)) {
                        return Outcome.PROJECT_SIGNATURE;
                    }
                }
            }
            return Outcome.REFUSED; // a wrong signature is never saved by a token or by allow-unsigned
        }
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            byte[] token = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
            boolean found = false;
            for (String accepted : properties.tokens()) {
                // every configured token is compared, so timing does not tell which one nearly matched
                found |= MessageDigest.isEqual(accepted.getBytes(StandardCharsets.UTF_8), token);
            }
            return found ? Outcome.TOKEN : Outcome.REFUSED;
        }
        return properties.allowUnsigned() ? Outcome.UNSIGNED_ALLOWED : Outcome.REFUSED;
    }

    /** {@code sha256=<64 hex digits>} as bytes; {@code null} when malformed. */
    private static byte[] signature(String header) {
        String value = header.trim();
        if (!value.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) || value.length() != PREFIX.length() + 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(value.substring(PREFIX.length()).toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean matches(String secret, byte[] body, byte[] given) {
        return secret != null && !secret.isEmpty() && MessageDigest.isEqual(hmac(secret, body), given);
    }

    /** HMAC-SHA256 of {@code body} under {@code secret}: what a sender puts after {@code sha256=}, as bytes. */
    public static byte[] hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /** The header value a sender computes: {@code sha256=} and the lowercase hex HMAC. */
    public static String signatureHeader(String secret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmac(secret, body));
    }
}
