package dev.projectdashboard.pushservice.webhook;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventType;
import dev.projectdashboard.pushservice.retry.RetrySchedule;
import dev.projectdashboard.pushservice.signature.WebhookSecret;
import dev.projectdashboard.pushservice.template.BodyTemplate;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Registers, changes and finds webhooks (docs/push-service.md, Registrations), checking each setting before anything
 * is stored: the URL against SSRF rules, the template by rendering it with sample data, the auth config, the
 * secret's form. Keeps a short-lived copy of the enabled webhooks for matching events.
 */
@Service
public class WebhookRegistry {

    /** A webhook with its signing secret, shown only in the answer to its creation or rotation. */
    public record Registered(Webhook webhook, String secret) {

        @Override
        public String toString() {
            return "Registered[" + webhook + "]";
        }
    }

    /** A page of registrations. */
    public record Page(List<Webhook> webhooks, long total) {}

    private final WebhookStore store;
    private final EndpointGuard guard;
    private final WebhookProperties properties;
    private final Clock clock;
    private final AtomicReference<Mono<List<Webhook>>> enabled = new AtomicReference<>();

    public WebhookRegistry(WebhookStore store, EndpointGuard guard, WebhookProperties properties, Clock clock) {
        this.store = store;
        this.guard = guard;
        this.properties = properties;
        this.clock = clock;
        forget();
    }

    public Mono<Registered> create(WebhookChange change, String createdBy) {
        if (change.name() == null) {
            return Mono.error(new InvalidWebhook("name", "must be given"));
        }
        if (change.url() == null) {
            return Mono.error(new InvalidWebhook("url", "must be given"));
        }
        return secret(change.secret()).flatMap(secret -> create(change, createdBy, secret));
    }

    /** The given secret, or a new one (generated off the event loop: the system's entropy source may block). */
    private static Mono<String> secret(String given) {
        return given != null
                ? Mono.just(given)
                : Mono.fromCallable(WebhookSecret::generate).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<Registered> create(WebhookChange change, String createdBy, String secret) {
        Instant now = clock.instant();
        Webhook blank = new Webhook(
                UUID.fromString(CloudEvent.newId()),
                null,
                URI.create("http://unset.invalid/"),
                Webhook.DEFAULT_EVENT_TYPES,
                null,
                null,
                new WebhookAuth.None(),
                secret,
                null,
                null,
                properties.defaultTimeout(),
                null,
                null,
                true,
                null,
                createdBy,
                now,
                now);
        return applied(blank, change, true)
                .flatMap(store::insert)
                .doOnNext(stored -> forget())
                .map(stored -> new Registered(stored, secret));
    }

    public Mono<Webhook> update(UUID id, WebhookChange change) {
        return store.find(id)
                .flatMap(existing -> applied(existing, change, false))
                .flatMap(store::update)
                .doOnNext(stored -> forget());
    }

    public Mono<Webhook> find(UUID id) {
        return store.find(id);
    }

    public Mono<Page> list(int limit, long offset) {
        return store.list(limit, offset).collectList().zipWith(store.count(), Page::new);
    }

    public Mono<Boolean> delete(UUID id) {
        return store.delete(id).doOnNext(deleted -> forget());
    }

    /** Enables or disables it; enabling clears a reason the service recorded (the endpoint is back). */
    public Mono<Webhook> enable(UUID id, boolean enabled) {
        return store.find(id)
                .map(existing -> copy(
                        existing,
                        existing.secret(),
                        existing.previousSecret(),
                        existing.previousSecretExpiresAt(),
                        enabled,
                        enabled ? null : existing.disabledReason()))
                .flatMap(store::update)
                .doOnNext(stored -> forget());
    }

    /** A new secret; the old one keeps signing for {@code dashboard.push.webhooks.rotation-grace}. */
    public Mono<Registered> rotateSecret(UUID id, String newSecret) {
        if (newSecret != null && !WebhookSecret.isValid(newSecret)) {
            return Mono.error(new InvalidWebhook("secret", "must be whsec_ followed by base64 of 24 to 64 bytes"));
        }
        Instant graceEnds = clock.instant().plus(properties.rotationGrace());
        return secret(newSecret).flatMap(secret -> store.find(id)
                .map(existing -> copy(
                        existing, secret, existing.secret(), graceEnds, existing.enabled(), existing.disabledReason()))
                .flatMap(store::update)
                .doOnNext(stored -> forget())
                .map(stored -> new Registered(stored, secret)));
    }

    /** The enabled webhooks that want an event of {@code type} about {@code subject}. */
    public Mono<List<Webhook>> subscribers(String type, String subject) {
        return enabled.get().map(all -> all.stream()
                .filter(webhook -> webhook.wants(type, subject))
                .toList());
    }

    /**
     * The webhook as a delivery attempt sees it: from this replica's copy of the enabled ones, else (disabled, or
     * created on another replica a moment ago) read from the store; empty when it was deleted.
     */
    public Mono<Webhook> current(UUID id) {
        return enabled.get().flatMap(all -> all.stream()
                .filter(webhook -> webhook.id().equals(id))
                .findFirst()
                .map(Mono::just)
                .orElseGet(() -> store.find(id)));
    }

    /** Disables a webhook whose endpoint answered 410 Gone (its deliveries stop until a user enables it again). */
    public Mono<Void> disableGone(UUID id, String reason) {
        return store.disable(id, reason).doOnSuccess(done -> forget());
    }

    private void forget() {
        enabled.set(store.enabled()
                .collectList()
                .cache(list -> properties.cacheTtl(), error -> Duration.ZERO, () -> Duration.ZERO));
    }

    private Mono<Webhook> applied(Webhook base, WebhookChange change, boolean creating) {
        try {
            String name = base.name();
            if (change.name() != null) {
                name = change.name().strip();
                if (name.isEmpty() || name.length() > 255) {
                    throw new InvalidWebhook("name", "must be 1 to 255 characters");
                }
            }
            List<String> eventTypes = base.eventTypes();
            if (change.eventTypes() != null) {
                eventTypes = eventTypes(change.eventTypes());
            }
            String subjectPrefix = base.subjectPrefix();
            if (change.subjectPrefix() != null) {
                subjectPrefix = change.subjectPrefix().isEmpty() ? null : change.subjectPrefix();
                if (subjectPrefix != null && (subjectPrefix.length() > 255 || !subjectPrefix.matches("\\S+"))) {
                    throw new InvalidWebhook("subject_prefix", "must be up to 255 characters without spaces");
                }
            }
            String template = base.bodyTemplate();
            if (change.bodyTemplate() != null) {
                template = change.bodyTemplate().isBlank() ? null : change.bodyTemplate();
                if (template != null) {
                    try {
                        BodyTemplate.parse(template);
                    } catch (RuntimeException refused) {
                        throw new InvalidWebhook("body_template", refused.getMessage());
                    }
                }
            }
            WebhookAuth auth = base.auth();
            if (change.authType() != null) {
                try {
                    auth = WebhookAuth.of(change.authType(), change.authConfig());
                } catch (IllegalArgumentException refused) {
                    throw new InvalidWebhook("auth_config", refused.getMessage());
                }
            } else if (change.authConfig() != null) {
                throw new InvalidWebhook("auth_type", "must be given with auth_config");
            }
            String secret = base.secret();
            if (change.secret() != null) {
                if (!WebhookSecret.isValid(change.secret())) {
                    throw new InvalidWebhook("secret", "must be whsec_ followed by base64 of 24 to 64 bytes");
                }
                secret = change.secret();
            }
            Duration timeout = base.timeout();
            if (change.timeout() != null) {
                if (change.timeout().compareTo(Duration.ofSeconds(1)) < 0
                        || change.timeout().compareTo(properties.maxTimeout()) > 0) {
                    throw new InvalidWebhook(
                            "timeout", "must be 1 to " + properties.maxTimeout().toSeconds() + " seconds");
                }
                timeout = change.timeout();
            }
            RetrySchedule schedule = base.retrySchedule();
            if (change.retryDelays() != null) {
                try {
                    schedule = change.retryDelays().isEmpty() ? null : new RetrySchedule(change.retryDelays());
                } catch (IllegalArgumentException refused) {
                    throw new InvalidWebhook("retry_delays", refused.getMessage());
                }
            }
            Integer rateLimit = base.rateLimit();
            if (change.rateLimit() != null) {
                if (change.rateLimit() < 0 || change.rateLimit() > 10_000) {
                    throw new InvalidWebhook("rate_limit", "must be 1 to 10000 requests per second, or 0 for none");
                }
                rateLimit = change.rateLimit() == 0 ? null : change.rateLimit();
            }
            boolean enabled = change.enabled() != null ? change.enabled() : base.enabled();
            Webhook changed = new Webhook(
                    base.id(),
                    name,
                    base.url(),
                    eventTypes,
                    subjectPrefix,
                    template,
                    auth,
                    secret,
                    change.secret() != null ? null : base.previousSecret(),
                    change.secret() != null ? null : base.previousSecretExpiresAt(),
                    timeout,
                    schedule,
                    rateLimit,
                    enabled,
                    enabled ? null : base.disabledReason(),
                    base.createdBy(),
                    base.createdAt(),
                    clock.instant());
            if (change.url() == null && !creating) {
                return Mono.just(changed);
            }
            return guard.check(change.url())
                    .onErrorMap(
                            EndpointGuard.RefusedEndpoint.class,
                            refused -> new InvalidWebhook("url", refused.getMessage()))
                    .map(endpoint -> withUrl(changed, endpoint.uri()));
        } catch (InvalidWebhook invalid) {
            return Mono.error(invalid);
        }
    }

    private static List<String> eventTypes(List<String> requested) {
        if (requested.isEmpty()) {
            throw new InvalidWebhook("event_types", "must name at least one event type");
        }
        for (String type : requested) {
            if (type == null || EventType.of(type).isEmpty()) {
                throw new InvalidWebhook("event_types", "unknown event type " + type);
            }
            if (type.startsWith("webhook.")) {
                // a webhook of webhook events would deliver news of its own deliveries, without end
                throw new InvalidWebhook("event_types", type + " cannot be delivered to a webhook");
            }
        }
        return requested.stream().distinct().toList();
    }

    private static Webhook withUrl(Webhook webhook, URI url) {
        return new Webhook(
                webhook.id(),
                webhook.name(),
                url,
                webhook.eventTypes(),
                webhook.subjectPrefix(),
                webhook.bodyTemplate(),
                webhook.auth(),
                webhook.secret(),
                webhook.previousSecret(),
                webhook.previousSecretExpiresAt(),
                webhook.timeout(),
                webhook.retrySchedule(),
                webhook.rateLimit(),
                webhook.enabled(),
                webhook.disabledReason(),
                webhook.createdBy(),
                webhook.createdAt(),
                webhook.updatedAt());
    }

    private Webhook copy(
            Webhook webhook,
            String secret,
            String previousSecret,
            Instant previousSecretExpiresAt,
            boolean enabled,
            String disabledReason) {
        return new Webhook(
                webhook.id(),
                webhook.name(),
                webhook.url(),
                webhook.eventTypes(),
                webhook.subjectPrefix(),
                webhook.bodyTemplate(),
                webhook.auth(),
                secret,
                previousSecret,
                previousSecretExpiresAt,
                webhook.timeout(),
                webhook.retrySchedule(),
                webhook.rateLimit(),
                enabled,
                disabledReason,
                webhook.createdBy(),
                webhook.createdAt(),
                clock.instant());
    }
}
