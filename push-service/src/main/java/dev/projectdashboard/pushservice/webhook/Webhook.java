package dev.projectdashboard.pushservice.webhook;

import dev.projectdashboard.pushservice.retry.RetrySchedule;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A downstream webhook registration (source 003's webhook; docs/push-service.md, Registrations). {@code secret} and
 * {@code auth} are plain text only in memory: {@link #toString()} never shows them.
 *
 * @param eventTypes the event types delivered (DESIGN §5 names, e.g. {@code task.completed})
 * @param subjectPrefix only events whose subject starts with this, e.g. {@code project:shop}; {@code null}: any
 * @param bodyTemplate source 003's body template, {@code null} for the default body
 * @param previousSecret the secret before the last rotation, still signing until {@code previousSecretExpiresAt}
 * @param retrySchedule this webhook's delays, {@code null} for the service's
 * @param rateLimit requests per second to this endpoint at most (per replica), {@code null}: no limit
 * @param disabledReason why the service disabled it (an endpoint answering 410 Gone), {@code null} otherwise
 */
public record Webhook(
        UUID id,
        String name,
        URI url,
        List<String> eventTypes,
        String subjectPrefix,
        String bodyTemplate,
        WebhookAuth auth,
        String secret,
        String previousSecret,
        Instant previousSecretExpiresAt,
        Duration timeout,
        RetrySchedule retrySchedule,
        Integer rateLimit,
        boolean enabled,
        String disabledReason,
        String createdBy,
        Instant createdAt,
        Instant updatedAt) {

    /** What a webhook receives when its registration names no event types (source 003 pushes task results). */
    public static final List<String> DEFAULT_EVENT_TYPES = List.of("task.completed", "task.failed");

    public Webhook {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(secret, "secret");
        eventTypes = List.copyOf(eventTypes);
    }

    /** Whether an event of {@code type} about {@code subject} goes to this webhook (enabled or not). */
    public boolean wants(String type, String subject) {
        return eventTypes.contains(type)
                && (subjectPrefix == null || (subject != null && subject.startsWith(subjectPrefix)));
    }

    /** The secrets that sign now: the current one, and the previous one during its grace period. */
    public List<String> signingSecrets(Instant now) {
        List<String> secrets = new ArrayList<>(2);
        secrets.add(secret);
        if (previousSecret != null && previousSecretExpiresAt != null && previousSecretExpiresAt.isAfter(now)) {
            secrets.add(previousSecret);
        }
        return secrets;
    }

    @Override
    public String toString() {
        return "Webhook[id=" + id + ", name=" + name + ", url=" + url + ", eventTypes=" + eventTypes + ", auth="
                + auth.type().value() + ", enabled=" + enabled + "]";
    }
}
