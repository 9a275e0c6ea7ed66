package dev.projectdashboard.pushservice.signature;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * Webhook signing secrets in the Standard Webhooks form: {@code whsec_} and the standard base64 (with padding) of 24 to
 * 64 random bytes. The service generates 32 bytes; a user may bring their own secret of the same form. The whole
 * string, prefix included, is source 003's HMAC key; the decoded bytes are the Standard Webhooks key.
 */
public final class WebhookSecret {

    /** What every secret starts with; it makes a leaked secret recognisable to secret scanners. */
    public static final String PREFIX = "whsec_";

    static final int GENERATED_BYTES = 32;
    static final int MIN_BYTES = 24;
    static final int MAX_BYTES = 64;

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookSecret() {}

    /**
     * A new secret of 32 random bytes. {@link SecureRandom} may read the operating system's entropy source, a file:
     * call this off the event loop (e.g. {@code Mono.fromCallable(WebhookSecret::generate)
     * .subscribeOn(Schedulers.boundedElastic())}).
     */
    public static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        RANDOM.nextBytes(bytes);
        String secret = PREFIX + Base64.getEncoder().encodeToString(bytes);
        Arrays.fill(bytes, (byte) 0);
        return secret;
    }

    /**
     * Whether {@code secret} is {@code whsec_} and canonical standard base64 (padded, no line breaks, no URL-safe
     * alphabet) of 24 to 64 bytes: the form every Standard Webhooks library decodes the same way.
     */
    public static boolean isValid(String secret) {
        return decode(secret) != null;
    }

    /**
     * The key bytes of a valid secret.
     *
     * @throws IllegalArgumentException when the secret is not valid; the message never contains the secret
     */
    static byte[] key(String secret) {
        byte[] key = decode(secret);
        if (key == null) {
            throw new IllegalArgumentException("a webhook secret must be " + PREFIX + " and the base64 of " + MIN_BYTES
                    + " to " + MAX_BYTES + " bytes");
        }
        return key;
    }

    private static byte[] decode(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return null;
        }
        String encoded = secret.substring(PREFIX.length());
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // the JDK decoder also takes text without padding; other libraries may not, so only the canonical form passes
        if (key.length < MIN_BYTES
                || key.length > MAX_BYTES
                || !Base64.getEncoder().encodeToString(key).equals(encoded)) {
            return null;
        }
        return key;
    }
}
