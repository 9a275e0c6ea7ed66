package dev.projectdashboard.pushservice.secret;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook secrets and auth configuration at rest with AES-256-GCM under {@code PUSH_ENCRYPTION_KEY}.
 *
 * <p>Sealed form: one version byte ({@value #VERSION}), a random 12-byte nonce, then the ciphertext with its 16-byte
 * tag. The associated data (the webhook's id) is authenticated, not stored: a ciphertext copied to another row does
 * not open there. Thread-safe: a new {@link Cipher} per call. The random generator is seeded when the box is built, so
 * {@link #seal} reads no entropy source later and may run on an event loop.
 */
public final class SecretBox {

    static final byte VERSION = 1;
    static final int KEY_BYTES = 32;
    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKey key;
    private final SecureRandom random;

    /**
     * @param key exactly 32 bytes; copied
     * @throws IllegalArgumentException naming {@code PUSH_ENCRYPTION_KEY} when the key has another length
     */
    public SecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("PUSH_ENCRYPTION_KEY must be " + KEY_BYTES + " bytes (AES-256), got "
                    + (key == null ? "none" : key.length + " bytes"));
        }
        this.key = new SecretKeySpec(key, "AES");
        this.random = seededRandom();
    }

    /**
     * A box for the standard base64 of a 32-byte key, as {@code PUSH_ENCRYPTION_KEY} holds it (e.g. the output of
     * {@code openssl rand -base64 32}); surrounding whitespace is ignored.
     *
     * @throws IllegalArgumentException naming {@code PUSH_ENCRYPTION_KEY} when it is missing, not base64 or not 32
     *     bytes; the message never contains the key
     */
    public static SecretBox fromBase64(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("PUSH_ENCRYPTION_KEY is not set: it must be the base64 of " + KEY_BYTES
                    + " random bytes (openssl rand -base64 32)");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("PUSH_ENCRYPTION_KEY is not valid base64: it must be the base64 of "
                    + KEY_BYTES + " random bytes (openssl rand -base64 32)");
        }
        try {
            return new SecretBox(bytes);
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    /**
     * Encrypts {@code plaintext}, bound to {@code associatedData}.
     *
     * @param associatedData what the ciphertext belongs to, e.g. the webhook id's UTF-8 bytes; needed again to open
     */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        Objects.requireNonNull(associatedData, "associatedData");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            ByteBuffer sealed = ByteBuffer.allocate(1 + NONCE_BYTES + cipher.getOutputSize(plaintext.length));
            sealed.put(VERSION).put(nonce);
            cipher.doFinal(ByteBuffer.wrap(plaintext), sealed);
            return sealed.array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made with the same key and associated data.
     *
     * @throws SecretBoxException when the data was changed, is not sealed data, or was sealed under another key or for
     *     other associated data
     */
    public byte[] open(byte[] sealed, byte[] associatedData) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(associatedData, "associatedData");
        if (sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new SecretBoxException("sealed data is too short (" + sealed.length + " bytes) to be sealed data");
        }
        if (sealed[0] != VERSION) {
            throw new SecretBoxException("sealed data has unknown format version " + sealed[0]);
        }
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SecretBoxException("sealed data does not open: it was changed, or sealed under another key or"
                    + " for another record");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM is not available", e);
        }
    }

    @Override
    public String toString() {
        return "SecretBox[AES-256-GCM]";
    }

    /** A DRBG seeded now, at start-up, rather than on the first {@link #seal}, which may run on an event loop. */
    private static SecureRandom seededRandom() {
        try {
            SecureRandom random = SecureRandom.getInstance("DRBG");
            random.nextBytes(new byte[1]);
            return random;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK's DRBG is not available", e);
        }
    }
}
