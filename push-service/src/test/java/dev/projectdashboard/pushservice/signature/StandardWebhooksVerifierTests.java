package dev.projectdashboard.pushservice.signature;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.pushservice.signature.StandardWebhooksVerifier.Case;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Signatures#standardSignature} checked by the npm {@code standardwebhooks} package's own verifier. */
class StandardWebhooksVerifierTests {

    private static final String NEW_SECRET = WebhookSecret.generate();
    private static final String OLD_SECRET = WebhookSecret.generate();

    @BeforeAll
    static void install() throws Exception {
        StandardWebhooksVerifier.install();
    }

    @Test
    void receiverWithEitherSecretOfARotationVerifies() throws Exception {
        byte[] body = "{\"type\":\"task.completed\",\"data\":{\"name\":\"张三\",\"amount\":1000.0}}"
                .getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String header = Signatures.standardSignature(List.of(NEW_SECRET, OLD_SECRET), "msg_42", now, body);

        List<String> results = StandardWebhooksVerifier.verify(List.of(
                new Case(NEW_SECRET, "msg_42", now, body, header),
                new Case(OLD_SECRET, "msg_42", now, body, header),
                new Case(WebhookSecret.generate(), "msg_42", now, body, header)));

        assertThat(results).containsExactly("ok", "ok", "WebhookVerificationError: No matching signature found");
    }

    @Test
    void receiverRefusesAChangedBodyIdOrTimestamp() throws Exception {
        byte[] body = "{\"task_id\":\"T_20251214_0001\"}".getBytes(StandardCharsets.UTF_8);
        byte[] changed = "{\"task_id\":\"T_20251214_0002\"}".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();
        String header = Signatures.standardSignature(List.of(NEW_SECRET), "msg_1", now, body);

        List<String> results = StandardWebhooksVerifier.verify(List.of(
                new Case(NEW_SECRET, "msg_1", now, body, header),
                new Case(NEW_SECRET, "msg_1", now, changed, header),
                new Case(NEW_SECRET, "msg_2", now, body, header),
                new Case(NEW_SECRET, "msg_1", now - 1, body, header)));

        assertThat(results)
                .containsExactly(
                        "ok",
                        "WebhookVerificationError: No matching signature found",
                        "WebhookVerificationError: No matching signature found",
                        "WebhookVerificationError: No matching signature found");
    }

    @Test
    void receiverVerifiesSecretsOfEveryAllowedLength() throws Exception {
        String shortest = WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(new byte[24]);
        String longest = WebhookSecret.PREFIX + Base64.getEncoder().encodeToString(new byte[64]);
        byte[] body = "[]".getBytes(StandardCharsets.UTF_8);
        long now = Instant.now().getEpochSecond();

        List<String> results = StandardWebhooksVerifier.verify(List.of(
                new Case(shortest, "m", now, body, Signatures.standardSignature(List.of(shortest), "m", now, body)),
                new Case(longest, "m", now, body, Signatures.standardSignature(List.of(longest), "m", now, body))));

        assertThat(results).containsExactly("ok", "ok");
    }
}
