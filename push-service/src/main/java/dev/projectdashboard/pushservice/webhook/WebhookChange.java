package dev.projectdashboard.pushservice.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A registration or an update of one (docs/push-service.md, Registrations): on update, a {@code null} field keeps
 * what the webhook has. {@code authConfig} goes with {@code authType}; {@code secret} replaces the signing secret
 * without a grace period (use rotation for that).
 *
 * @param retryDelays the delays between attempts, empty for the service's default schedule
 */
public record WebhookChange(
        String name,
        String url,
        List<String> eventTypes,
        String subjectPrefix,
        String bodyTemplate,
        AuthType authType,
        Map<String, String> authConfig,
        String secret,
        Duration timeout,
        List<Duration> retryDelays,
        Integer rateLimit,
        Boolean enabled) {}
