package dev.projectdashboard.pushservice.signature;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signatures a webhook request carries, so that a receiver can tell it came from this service unchanged:
 *
 * <ul>
 *   <li>source 003's scheme, sent as {@value #SOURCE_HEADER} and {@value #DASHBOARD_HEADER}: {@code sha256=} and the
 *       lowercase hex HMAC-SHA256 of the body, keyed with the secret's UTF-8 bytes ({@code hmac.new(secret_key.encode(),
 *       request_body.encode(), sha256).hexdigest()});
 *   <li>the Standard Webhooks scheme, sent as {@value #STANDARD_ID_HEADER}, {@value #STANDARD_TIMESTAMP_HEADER} and
 *       {@value #STANDARD_SIGNATURE_HEADER}: {@code v1,} and the base64 HMAC-SHA256 of {@code id.timestamp.body},
 *       keyed with the secret's decoded bytes, one per secret while a secret is being rotated.
 * </ul>
 *
 * All methods are pure computations, safe on any thread.
 */
public final class Signatures {

    /** Source 003's signature header. */
    public static final String SOURCE_HEADER = "X-IDP-Signature";
    /** Source 003's timestamp header (epoch seconds). */
    public static final String SOURCE_TIMESTAMP_HEADER = "X-IDP-Timestamp";
    /** DESIGN §8's name for the same signature. */
    public static final String DASHBOARD_HEADER = "X-Dashboard-Signature";
    /** DESIGN §8's name for the same timestamp. */
    public static final String DASHBOARD_TIMESTAMP_HEADER = "X-Dashboard-Timestamp";

    public static final String STANDARD_ID_HEADER = "webhook-id";
    public static final String STANDARD_TIMESTAMP_HEADER = "webhook-timestamp";
    public static final String STANDARD_SIGNATURE_HEADER = "webhook-signature";

    private static final String SOURCE_PREFIX = "sha256=";
    private static final String HMAC = "HmacSHA256";

    private Signatures() {}

    /**
     * Source 003's {@code sha256=<hex>}: the whole secret string, {@code whsec_} included, is the key.
     *
     * @throws IllegalArgumentException when the secret is empty (the JDK's HMAC takes no empty key)
     */
    public static String sourceSignature(String secret, byte[] body) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(body, "body");
        if (secret.isEmpty()) {
            throw new IllegalArgumentException("a webhook secret must not be empty");
        }
        return SOURCE_PREFIX + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), body));
    }

    /**
     * The Standard Webhooks {@code webhook-signature} value: {@code v1,<base64>} for each secret, space-separated, in
     * the order given (during a rotation both the new and the old secret sign, so receivers with either verify).
     *
     * @param messageId the {@code webhook-id} header, the same for every retry of one delivery
     * @param timestamp the {@code webhook-timestamp} header, epoch seconds of this attempt
     * @throws IllegalArgumentException when no secret is given or one is not a {@linkplain WebhookSecret#isValid valid}
     *     secret
     */
    public static String standardSignature(List<String> secrets, String messageId, long timestamp, byte[] body) {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(body, "body");
        if (secrets == null || secrets.isEmpty()) {
            throw new IllegalArgumentException("at least one secret must sign a webhook");
        }
        byte[] prefix = (messageId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        byte[] signed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, signed, 0, prefix.length);
        System.arraycopy(body, 0, signed, prefix.length, body.length);
        StringJoiner signatures = new StringJoiner(" ");
        for (String secret : secrets) {
            signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(WebhookSecret.key(secret), signed)));
        }
        return signatures.toString();
    }

    /**
     * Whether {@code header} is source 003's signature of {@code body} under {@code secret}, compared in constant time;
     * the hex digits may be in either case. What a receiver does, for tests and the documentation.
     */
    public static boolean verifySource(String secret, byte[] body, String header) {
        if (secret == null || secret.isEmpty() || body == null || header == null) {
            return false;
        }
        byte[] expected = sourceSignature(secret, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = header.trim().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(new SecretKeySpec(key, HMAC));
            return mac.doFinal(data);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
