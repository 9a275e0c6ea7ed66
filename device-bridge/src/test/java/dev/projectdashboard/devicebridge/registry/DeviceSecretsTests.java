package dev.projectdashboard.devicebridge.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Per-device broker passwords: recognisable, 256 random bits, stored only as a hash that logins are checked against. */
class DeviceSecretsTests {

    @Test
    void startsWithThePrefixSecretScannersRecognise() {
        assertThat(DeviceSecrets.generate()).startsWith("dsec_");
    }

    @Test
    void carries256BitsInUrlSafeBase64WithoutPadding() {
        String secret = DeviceSecrets.generate();
        String encoded = secret.substring(DeviceSecrets.PREFIX.length());

        assertThat(encoded).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(Base64.getUrlDecoder().decode(encoded)).hasSize(32);
    }

    @Test
    void neverGivesTwoDevicesTheSameSecret() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            secrets.add(DeviceSecrets.generate());
        }
        assertThat(secrets).hasSize(1000);
    }

    @Test
    void storesASha256HashOfTheSecretNotTheSecret() {
        String secret = DeviceSecrets.generate();
        byte[] hash = DeviceSecrets.hash(secret);

        assertThat(hash).hasSize(32).isEqualTo(DeviceSecrets.hash(secret));
        assertThat(hash).isNotEqualTo(DeviceSecrets.hash(DeviceSecrets.generate()));
        // the well-known SHA-256 of "abc": the hash is the standard one, no home-made variant
        assertThat(DeviceSecrets.hash("abc"))
                .isEqualTo(java.util.HexFormat.of()
                        .parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    }

    @Test
    void matchesTheSecretAgainstItsHash() {
        String secret = DeviceSecrets.generate();
        assertThat(DeviceSecrets.matches(secret, DeviceSecrets.hash(secret))).isTrue();
    }

    @Test
    void rejectsAWrongSecretAndNulls() {
        String secret = DeviceSecrets.generate();
        byte[] hash = DeviceSecrets.hash(secret);

        assertThat(DeviceSecrets.matches(DeviceSecrets.generate(), hash)).isFalse();
        assertThat(DeviceSecrets.matches(secret + "x", hash)).isFalse();
        assertThat(DeviceSecrets.matches(secret.substring(1), hash)).isFalse();
        assertThat(DeviceSecrets.matches("", hash)).isFalse();
        assertThat(DeviceSecrets.matches(null, hash)).isFalse();
        assertThat(DeviceSecrets.matches(secret, null)).isFalse();
        // the stored hash is no password: presenting it does not log in
        assertThat(DeviceSecrets.matches(new String(hash, java.nio.charset.StandardCharsets.ISO_8859_1), hash))
                .isFalse();
    }
}
