package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.deploynotifier.deployment.DeploymentEvents;
import dev.projectdashboard.deploynotifier.deployment.Notification;
import dev.projectdashboard.deploynotifier.deployment.OutgoingEvent;
import dev.projectdashboard.deploynotifier.outbox.EventRelay;
import dev.projectdashboard.deploynotifier.store.DeploymentStore;
import dev.projectdashboard.starter.json.JsonReadError;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.InvalidDataAccessResourceUsageException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Accepts one webhook: authenticates the raw body, validates it, stores it once (per delivery) together with its
 * events, then publishes those events. Nothing is stored when authentication or validation fails; when Redis does not
 * take the events the caller gets 503 and its retry (the same delivery) publishes them, as does the relay.
 */
public final class WebhookIngest {

    public static final String DELIVERY_HEADER = "X-GitHub-Delivery";
    public static final String EVENT_HEADER = "X-GitHub-Event";
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Logger log = LoggerFactory.getLogger(WebhookIngest.class);

    private final WebhookAuthenticator authenticator;
    private final NotificationParser parser;
    private final DeploymentEvents events;
    private final DeploymentStore store;
    private final EventRelay relay;
    private final JsonMapper json;
    private final MeterRegistry meters;
    private final int maxJobSteps;
    private final Clock clock;

    public WebhookIngest(
            WebhookProperties properties,
            DeploymentEvents events,
            DeploymentStore store,
            EventRelay relay,
            JsonMapper json,
            MeterRegistry meters,
            Clock clock) {
        this.authenticator = new WebhookAuthenticator(properties);
        this.parser = new NotificationParser(clock);
        this.clock = clock;
        this.events = events;
        this.store = store;
        this.relay = relay;
        // a key given twice: which one counts would depend on the parser, and one signature covers both
        this.json = json.rebuild()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.meters = meters;
        this.maxJobSteps = properties.maxJobSteps();
    }

    /** {@code POST /api/webhooks/deployment}: the deployment webhook's payloads (docs/contracts.md, "Deployments"). */
    public Mono<Receipt.Accepted> deployment(byte[] body, HttpHeaders headers) {
        return Mono.defer(() -> {
                    authenticate("deployment", body, headers, () -> {
                        JsonNode node = readOrNull(body);
                        return node == null ? null : node.path("project").asString(null);
                    });
                    JsonNode payload = read(body, "The body");
                    byte[] sha256 = sha256(body);
                    Notification notification = parser.parse(payload, sha256);
                    String key = deliveryKey("deployment", headers, sha256);
                    return accept(
                            "deployment",
                            key,
                            notification.type(),
                            notification.project(),
                            List.of(notification),
                            List.of());
                })
                .doOnError(error -> count("deployment", outcome(error)));
    }

    /** {@code POST /api/webhooks/github}: native GitHub webhooks, JSON or form-encoded ({@code payload=}). */
    public Mono<Receipt> github(byte[] body, HttpHeaders headers) {
        return Mono.<Receipt>defer(() -> {
                    String event = headers.getFirst(EVENT_HEADER);
                    authenticate("github", body, headers, () -> {
                        try {
                            JsonNode node = readOrNull(githubJson(body, headers));
                            return node == null
                                    ? null
                                    : node.path("repository").path("name").asString(null);
                        } catch (ProblemException e) {
                            return null;
                        }
                    });
                    JsonNode payload =
                            read(githubJson(body, headers), form(headers) ? "The form field 'payload'" : "The body");
                    GithubEvents.Mapped mapped = GithubEvents.map(event, payload, maxJobSteps, clock.instant());
                    if (GithubEvents.PING.equals(event)) {
                        count("github", "ping");
                        return Mono.just(
                                new Receipt.Ignored(event, false, "pong: the webhook reaches deploy-notifier"));
                    }
                    if (mapped.ignored()) {
                        count("github", "ignored");
                        return Mono.just(new Receipt.Ignored(event, true, mapped.ignoredReason()));
                    }
                    String key = deliveryKey("github", headers, sha256(body));
                    Notification first = mapped.notifications().get(0);
                    return accept("github", key, event, first.project(), mapped.notifications(), mapped.sanitized());
                })
                .doOnError(error -> count("github", outcome(error)));
    }

    private Mono<Receipt.Accepted> accept(
            String endpoint,
            String key,
            String kind,
            String project,
            List<Notification> notifications,
            List<FieldViolation> sanitized) {
        String deploymentId = notifications.get(0).deploymentId();
        List<OutgoingEvent> outgoing = events.of(key, notifications);
        return store.store(
                        new DeploymentStore.Delivery(key, endpoint, kind, project, deploymentId),
                        notifications,
                        outgoing)
                .onErrorMap(
                        WebhookIngest::unavailable,
                        error -> new ProblemException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "The deployment database is unavailable; nothing was stored, retry later",
                                error))
                .flatMap(stored -> (stored.duplicate()
                                ? relay.publish(key)
                                : relay.publishNew(outgoing, stored.outboxIds()))
                        .onErrorMap(error -> new ProblemException(
                                HttpStatus.SERVICE_UNAVAILABLE,
                                "The notification was stored but its events could not be published (the event bus is"
                                        + " unavailable); retry the same request, it will not be stored twice",
                                error))
                        .then(Mono.fromSupplier(() -> {
                            count(endpoint, stored.duplicate() ? "duplicate" : "accepted");
                            if (stored.duplicate()) {
                                log.debug("delivery {} was received before", key);
                            } else if (!sanitized.isEmpty()) {
                                log.info("delivery {} was stored with sanitised values: {}", key, sanitized);
                            }
                            // a repeat is answered with what the first delivery stored, whatever its own body says
                            DeploymentStore.Delivery delivery = stored.delivery();
                            return new Receipt.Accepted(
                                    stored.id().toString(),
                                    delivery.kind(),
                                    delivery.project(),
                                    delivery.deploymentId(),
                                    stored.duplicate(),
                                    stored.events(),
                                    stored.duplicate() ? List.of() : sanitized);
                        })));
    }

    /**
     * Whether a storing error means the database is unreachable or overloaded (503: the sender's retry will work),
     * rather than that it refused a value (a value the validation let through: a bug, answered 500, not retried).
     */
    private static boolean unavailable(Throwable error) {
        return !(error instanceof ProblemException)
                && !(error instanceof DataIntegrityViolationException)
                && !(error instanceof InvalidDataAccessResourceUsageException);
    }

    private void authenticate(String endpoint, byte[] body, HttpHeaders headers, Supplier<String> project) {
        WebhookAuthenticator.Outcome outcome = authenticator.authenticate(
                body,
                headers.getFirst(WebhookAuthenticator.SIGNATURE_HEADER),
                headers.getFirst(HttpHeaders.AUTHORIZATION),
                project);
        if (outcome == WebhookAuthenticator.Outcome.REFUSED) {
            throw new ProblemException(
                    HttpStatus.UNAUTHORIZED,
                    "Missing or wrong " + WebhookAuthenticator.SIGNATURE_HEADER
                            + " (sha256=<hex HMAC-SHA256 of the body>) or bearer token; nothing was stored");
        }
    }

    /**
     * The idempotency key: GitHub's delivery id, which a redelivery keeps, or else the SHA-256 of the body, so the
     * same notification sent twice is stored once.
     */
    private static String deliveryKey(String endpoint, HttpHeaders headers, byte[] sha256) {
        String delivery = headers.getFirst(DELIVERY_HEADER);
        if (delivery != null) {
            if (!DELIVERY_ID.matcher(delivery).matches()) {
                throw new ProblemException(
                        HttpStatus.BAD_REQUEST,
                        DELIVERY_HEADER + " must be 1-128 letters, digits, '.', '_', ':' or '-'");
            }
            return endpoint + ":delivery:" + delivery;
        }
        return endpoint + ":sha256:" + HexFormat.of().formatHex(sha256);
    }

    /** GitHub sends {@code payload=<url-encoded JSON>} when the hook's content type is form-encoded. */
    private static byte[] githubJson(byte[] body, HttpHeaders headers) {
        if (!form(headers)) {
            return body;
        }
        for (String pair : new String(body, StandardCharsets.US_ASCII).split("&")) {
            if (pair.startsWith("payload=")) {
                try {
                    return URLDecoder.decode(pair.substring("payload=".length()), StandardCharsets.UTF_8)
                            .getBytes(StandardCharsets.UTF_8);
                } catch (IllegalArgumentException malformed) {
                    throw ProblemException.invalid(
                            "The form field 'payload' is not URL-encoded; nothing was stored",
                            List.of(new FieldViolation("payload", "has a malformed percent-escape")));
                }
            }
        }
        throw ProblemException.invalid(
                "A form-encoded GitHub webhook needs a 'payload' field",
                List.of(new FieldViolation("payload", "is required")));
    }

    private static boolean form(HttpHeaders headers) {
        MediaType type = headers.getContentType();
        return type != null && MediaType.APPLICATION_FORM_URLENCODED.isCompatibleWith(type);
    }

    /** The JSON in {@code body}; a 400 naming where it breaks (a duplicate key, a raw control character …). */
    private JsonNode read(byte[] body, String what) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            // described in the suite's words: Jackson's own messages name its internals (StreamReadConstraints…)
            JsonReadError error = JsonReadError.of(e);
            String detail = what + " is not valid JSON: " + error.detail() + " Nothing was stored.";
            if (error.field() == null || error.field().isEmpty()) {
                throw new ProblemException(HttpStatus.BAD_REQUEST, detail);
            }
            throw ProblemException.invalid(detail, List.of(new FieldViolation(error.field(), error.message())));
        }
    }

    private JsonNode readOrNull(byte[] body) {
        try {
            return json.readTree(body);
        } catch (JacksonException e) {
            return null;
        }
    }

    private static byte[] sha256(byte[] body) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String outcome(Throwable error) {
        if (error instanceof ProblemException problem) {
            int status = problem.getStatusCode().value();
            return status == 401 ? "unauthorized" : status == 503 ? "unavailable" : "invalid";
        }
        return "error";
    }

    private void count(String endpoint, String outcome) {
        meters.counter("deploy.webhooks.received", "endpoint", endpoint, "outcome", outcome)
                .increment();
    }
}
