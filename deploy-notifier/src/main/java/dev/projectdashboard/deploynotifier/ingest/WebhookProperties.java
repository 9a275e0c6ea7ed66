package dev.projectdashboard.deploynotifier.ingest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dashboard.deploy.*}: how the webhooks are authenticated and bounded.
 *
 * @param secret HMAC-SHA256 key of {@code X-Hub-Signature-256} ({@code DEPLOY_WEBHOOK_SECRET})
 * @param projectSecrets per-project keys, tried after the global one ({@code DEPLOY_WEBHOOK_PROJECT_SECRETS_<NAME>})
 * @param tokens bearer tokens accepted instead of a signature ({@code DEPLOY_WEBHOOK_TOKENS}, comma-separated)
 * @param allowUnsigned accept unauthenticated payloads; for local experiments only ({@code DEPLOY_WEBHOOK_ALLOW_UNSIGNED})
 * @param maxPayloadSize larger bodies are refused with 413 ({@code DEPLOY_WEBHOOK_MAX_PAYLOAD})
 * @param maxJobSteps a GitHub {@code workflow_job} listing more steps is refused with 400: each is a row and an event,
 *     and GitHub gives up on an answer after 10 s ({@code DEPLOY_WEBHOOK_MAX_JOB_STEPS})
 * @param bodyTimeout a body that has not fully arrived this long after the request began is refused with 408, so a
 *     stalled sender does not hold a connection for good ({@code DEPLOY_WEBHOOK_BODY_TIMEOUT})
 * @param relayInterval how often events left unpublished (Redis was down) are sent again
 * @param relayAfter how old an unpublished event must be before the relay sends it (the request path goes first)
 */
@ConfigurationProperties("dashboard.deploy")
@Validated
public record WebhookProperties(
        String secret,
        @DefaultValue Map<String, String> projectSecrets,
        @DefaultValue List<String> tokens,
        @DefaultValue("false") boolean allowUnsigned,
        @DefaultValue("1MB") DataSize maxPayloadSize,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxJobSteps,
        @DefaultValue("10s") Duration bodyTimeout,
        @DefaultValue("10s") Duration relayInterval,
        @DefaultValue("15s") Duration relayAfter) {

    public WebhookProperties {
        projectSecrets = Map.copyOf(projectSecrets);
        tokens = tokens.stream()
                .map(String::trim)
                .filter(token -> !token.isEmpty())
                .toList();
    }

    @Override
    public String toString() {
        // never the secrets or tokens
        return "WebhookProperties[projectSecrets=" + projectSecrets.keySet() + ", tokens=" + tokens.size()
                + ", allowUnsigned=" + allowUnsigned + ", maxPayloadSize=" + maxPayloadSize + ", maxJobSteps="
                + maxJobSteps
                + ", bodyTimeout=" + bodyTimeout + "]";
    }
}
