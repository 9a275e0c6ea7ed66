package dev.projectdashboard.pushservice.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SignaturesTests {

    private static final byte[] BODY =
            "{\"task_id\": \"T_20251214_0001\", \"data\": {\"name\": \"张三\"}}".getBytes(StandardCharsets.UTF_8);

    @Test
    void sourceSignatureIsTheHexHmacOfTheBodyKeyedWithTheWholeSecret() throws Exception {
        String secret = WebhookSecret.generate();
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = "sha256=" + HexFormat.of().formatHex(mac.doFinal(BODY));

        assertThat(Signatures.sourceSignature(secret, BODY)).isEqualTo(expected);
    }

    @Test
    void sourceSignatureMatchesRfc4231TestCase2() {
        // HMAC-SHA256 with key "Jefe", as Python's hmac.new(b"Jefe", b"what do ya want for nothing?", sha256) gives
        assertThat(Signatures.sourceSignature("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void verifySourceAcceptsOnlyTheRightSignature() {
        String secret = WebhookSecret.generate();
        String header = Signatures.sourceSignature(secret, BODY);
        byte[] changed = BODY.clone();
        changed[5]++;

        assertThat(Signatures.verifySource(secret, BODY, header)).isTrue();
        assertThat(Signatures.verifySource(secret, BODY, header.toUpperCase(Locale.ROOT)))
                .isTrue();
        assertThat(Signatures.verifySource(secret, changed, header)).isFalse();
        assertThat(Signatures.verifySource(WebhookSecret.generate(), BODY, header))
                .isFalse();
        assertThat(Signatures.verifySource(secret, BODY, header.substring("sha256=".length())))
                .isFalse();
        assertThat(Signatures.verifySource(secret, BODY, "sha1=" + header.substring("sha256=".length())))
                .isFalse();
        assertThat(Signatures.verifySource(secret, BODY, null)).isFalse();
        assertThat(Signatures.verifySource("", BODY, header)).isFalse();
    }

    @Test
    void standardSignatureMatchesTheStandardWebhooksSpecificationExample() {
        // the example of the Standard Webhooks specification and its reference libraries' tests
        String signature = Signatures.standardSignature(
                List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                1614265330,
                "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

        assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void standardSignatureSignsIdTimestampAndBodyWithEachSecretsDecodedKey() throws Exception {
        String first = WebhookSecret.generate();
        String second = WebhookSecret.generate();

        String header = Signatures.standardSignature(List.of(first, second), "msg_1", 1_705_219_200L, BODY);

        assertThat(header.split(" ")).containsExactly(expectedStandard(first, BODY), expectedStandard(second, BODY));
    }

    @Test
    void standardSignatureNeedsValidSecretsAndSaysNothingOfThem() {
        assertThatThrownBy(() -> Signatures.standardSignature(List.of(), "m", 1, BODY))
                .isInstanceOf(IllegalArgumentException.class);
        String notASecret = "my-plain-password-1234567890";
        assertThatThrownBy(() -> Signatures.standardSignature(List.of(notASecret), "m", 1, BODY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining(notASecret);
    }

    private static String expectedStandard(String secret, byte[] body) throws Exception {
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        mac.update("msg_1.1705219200.".getBytes(StandardCharsets.UTF_8));
        return "v1," + Base64.getEncoder().encodeToString(mac.doFinal(body));
    }
}
