package dev.projectdashboard.devicebridge.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Per-device broker passwords: 256 random bits, shown once, stored as SHA-256. A fast hash is enough for a secret
 * nobody can guess (there is no dictionary to try), and it keeps a login check cheap; comparison is constant-time.
 */
final class DeviceSecrets {

    /** Prefix that makes a leaked secret recognisable to secret scanners. */
    static final String PREFIX = "dsec_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DeviceSecrets() {}

    static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    static boolean matches(String presented, byte[] storedHash) {
        return presented != null && storedHash != null && MessageDigest.isEqual(hash(presented), storedHash);
    }
}
