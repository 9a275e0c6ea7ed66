package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.deploynotifier.deployment.Names;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dashboard.deploy.*}: how the webhooks are authenticated and bounded.
 *
 * @param secret HMAC-SHA256 key of {@code X-Hub-Signature-256} ({@code DEPLOY_WEBHOOK_SECRET}); when empty, only
 *     project secrets and tokens authenticate
 * @param projectSecrets per-project keys, tried after the global one ({@code DEPLOY_WEBHOOK_PROJECT_SECRETS_<NAME>}):
 *     keyed by a project name (1-128 letters, digits, '.', '_' or '-'), each key not blank
 * @param tokens bearer tokens accepted instead of a signature ({@code DEPLOY_WEBHOOK_TOKENS}, comma-separated; blank
 *     entries are dropped)
 * @param allowUnsigned accept unauthenticated payloads; for local experiments only ({@code DEPLOY_WEBHOOK_ALLOW_UNSIGNED})
 * @param maxPayloadSize larger bodies are refused with 413 ({@code DEPLOY_WEBHOOK_MAX_PAYLOAD})
 * @param maxJobSteps a GitHub {@code workflow_job} listing more steps is refused with 400: each is a row and an event,
 *     and GitHub gives up on an answer after 10 s; 1 to 100,000 ({@code DEPLOY_WEBHOOK_MAX_JOB_STEPS})
 * @param bodyTimeout a body that has not fully arrived this long after the request began is refused with 408, so a
 *     stalled sender does not hold a connection for good; at least 1 ms ({@code DEPLOY_WEBHOOK_BODY_TIMEOUT})
 */
@ConfigurationProperties("dashboard.deploy")
@Validated
public record WebhookProperties(
        String secret,
        @DefaultValue @NotNull
                Map<@Pattern(regexp = Names.REGEX, message = Names.RULE) String, @NotBlank String> projectSecrets,
        @DefaultValue @NotNull List<String> tokens,
        @DefaultValue("false") boolean allowUnsigned,
        @DefaultValue("1MB") @NotNull DataSize maxPayloadSize,
        @DefaultValue("1000") @Min(1) @Max(100_000) int maxJobSteps,
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration bodyTimeout) {

    public WebhookProperties {
        projectSecrets = projectSecrets == null ? null : Map.copyOf(projectSecrets);
        tokens = tokens == null
                ? null
                : tokens.stream()
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
