package dev.projectdashboard.deploynotifier.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class WebhookAuthenticatorTests {

    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.UTF_8);

    private static WebhookAuthenticator authenticator(
            String secret, Map<String, String> own, List<String> tokens, boolean allowUnsigned) {
        return new WebhookAuthenticator(new WebhookProperties(
                secret, own, tokens, allowUnsigned, DataSize.ofMegabytes(1), 1_000, Duration.ofSeconds(10)));
    }

    @Test
    void matchesGithubsPublishedTestVector() {
        // docs.github.com, "Validating webhook deliveries": secret, payload and the signature GitHub sends for them
        String expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        assertThat(WebhookAuthenticator.signatureHeader("It's a Secret to Everybody", HELLO))
                .isEqualTo(expected);
        WebhookAuthenticator authenticator = authenticator("It's a Secret to Everybody", Map.of(), List.of(), false);

        assertThat(authenticator.authenticate(HELLO, expected, null, () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.SIGNATURE);
        assertThat(authenticator.authenticate(
                        HELLO, expected.toUpperCase().replace("SHA256=", "sha256="), null, () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.SIGNATURE);
        assertThat(authenticator.authenticate(
                        "Hello, World?".getBytes(StandardCharsets.UTF_8), expected, null, () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
    }

    @Test
    void malformedSignaturesAreRefusedEvenWhenUnsignedIsAllowedOrATokenIsSent() {
        WebhookAuthenticator authenticator = authenticator("s", Map.of(), List.of("t"), true);
        for (String header : List.of(
                "",
                "sha256=",
                "sha256=zz",
                "sha1=abc",
                "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")) {
            assertThat(authenticator.authenticate(HELLO, header, "Bearer t", () -> null))
                    .as(header)
                    .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
        }
    }

    @Test
    void projectSecretsSignOnlyTheirProject() {
        WebhookAuthenticator authenticator = authenticator("global", Map.of("alpha", "alpha-key"), List.of(), false);
        String alphaSigned = WebhookAuthenticator.signatureHeader("alpha-key", HELLO);

        assertThat(authenticator.authenticate(HELLO, alphaSigned, null, () -> "alpha"))
                .isEqualTo(WebhookAuthenticator.Outcome.PROJECT_SIGNATURE);
        assertThat(authenticator.authenticate(HELLO, alphaSigned, null, () -> "beta"))
                .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
        assertThat(authenticator.authenticate(
                        HELLO, WebhookAuthenticator.signatureHeader("global", HELLO), null, () -> "alpha"))
                .isEqualTo(WebhookAuthenticator.Outcome.SIGNATURE);
    }

    @Test
    void bearerTokensAndTheUnsignedSwitch() {
        WebhookAuthenticator strict = authenticator("s", Map.of(), List.of("one", "two"), false);
        assertThat(strict.authenticate(HELLO, null, "Bearer two", () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.TOKEN);
        assertThat(strict.authenticate(HELLO, null, "bearer one", () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.TOKEN);
        assertThat(strict.authenticate(HELLO, null, "Bearer three", () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
        assertThat(strict.authenticate(HELLO, null, "Basic b25lOg==", () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
        assertThat(strict.authenticate(HELLO, null, null, () -> null)).isEqualTo(WebhookAuthenticator.Outcome.REFUSED);

        WebhookAuthenticator open = authenticator("s", Map.of(), List.of(), true);
        assertThat(open.authenticate(HELLO, null, null, () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.UNSIGNED_ALLOWED);
        // an empty token list accepts no token
        assertThat(open.authenticate(HELLO, null, "Bearer ", () -> null))
                .isEqualTo(WebhookAuthenticator.Outcome.REFUSED);
    }

    @Test
    void settingsNeverPrintTheSecrets() {
        WebhookProperties properties = new WebhookProperties(
                "global-secret",
                Map.of("alpha", "alpha-key"),
                List.of("token-x"),
                false,
                DataSize.ofMegabytes(1),
                1_000,
                Duration.ofSeconds(10));
        assertThat(properties.toString()).doesNotContain("global-secret", "alpha-key", "token-x");
    }
}
