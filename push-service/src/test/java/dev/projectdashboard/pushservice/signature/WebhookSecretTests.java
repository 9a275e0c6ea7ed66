package dev.projectdashboard.pushservice.signature;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSecretTests {

    @Test
    void generatesStandardWebhooksSecretsOf32RandomBytes() {
        String secret = WebhookSecret.generate();

        assertThat(secret).startsWith("whsec_").hasSize("whsec_".length() + 44);
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSecret.isValid(secret)).isTrue();
        assertThat(WebhookSecret.generate()).isNotEqualTo(secret);
    }

    @Test
    void acceptsSecretsOf24To64Bytes() {
        assertThat(WebhookSecret.isValid(secretOf(24))).isTrue();
        assertThat(WebhookSecret.isValid(secretOf(64))).isTrue();
        assertThat(WebhookSecret.isValid(secretOf(23))).isFalse();
        assertThat(WebhookSecret.isValid(secretOf(65))).isFalse();
    }

    @Test
    void refusesAnythingButCanonicalStandardBase64AfterThePrefix() {
        String valid = secretOf(32);
        String encoded = valid.substring(6);

        assertThat(WebhookSecret.isValid(encoded)).as("no prefix").isFalse();
        assertThat(WebhookSecret.isValid("WHSEC_" + encoded)).as("prefix case").isFalse();
        assertThat(WebhookSecret.isValid(valid.replace("=", "")))
                .as("no padding")
                .isFalse();
        assertThat(WebhookSecret.isValid(valid + "\n")).as("line break").isFalse();
        assertThat(WebhookSecret.isValid("whsec_" + Base64.getUrlEncoder().encodeToString(bytesWithUrlUnsafe())))
                .as("URL-safe alphabet")
                .isFalse();
        assertThat(WebhookSecret.isValid("whsec_")).isFalse();
        assertThat(WebhookSecret.isValid(null)).isFalse();
    }

    private static String secretOf(int bytes) {
        byte[] key = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            key[i] = (byte) (i * 7 + 3);
        }
        return "whsec_" + Base64.getEncoder().encodeToString(key);
    }

    /** Bytes whose standard base64 holds '+' and '/', which the URL-safe alphabet writes as '-' and '_'. */
    private static byte[] bytesWithUrlUnsafe() {
        byte[] key = new byte[33];
        Arrays.fill(key, (byte) 0xfb);
        return key;
    }
}
