package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.WebhookDeadLettered;
import dev.projectdashboard.eventbus.payload.WebhookDelivered;
import dev.projectdashboard.eventbus.payload.WebhookFailed;
import dev.projectdashboard.pushservice.retry.RetryAfter;
import dev.projectdashboard.pushservice.retry.RetryDecision;
import dev.projectdashboard.pushservice.retry.RetryRules;
import dev.projectdashboard.pushservice.retry.RetrySchedule;
import dev.projectdashboard.pushservice.signature.Signatures;
import dev.projectdashboard.pushservice.template.BodyTemplate;
import dev.projectdashboard.pushservice.template.TemplateValues;
import dev.projectdashboard.pushservice.webhook.EndpointGuard;
import dev.projectdashboard.pushservice.webhook.Webhook;
import dev.projectdashboard.pushservice.webhook.WebhookRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;

/**
 * One attempt of a leased delivery, start to end (docs/push-service.md, Delivery): the body rendered from the
 * webhook's template, signed three ways, sent to the checked address; the answer classified as source 003 does
 * (2xx delivered; 5xx, 429, timeouts and connection errors retried on the schedule; other 4xx not; 410 also disables
 * the webhook); the log row and the delivery's next state written together; then a {@code webhook.*} event.
 *
 * <p>Each endpoint is isolated: a circuit breaker pauses one that keeps failing, its {@link EndpointLane} bounds its
 * attempts in flight (more wait their turn in memory, bounded in number and time) and an optional rate limiter its
 * requests per second. A delivery that finds its endpoint paused is given back, due at once, without counting as an
 * attempt: this replica leaves it alone while the endpoint stays paused ({@link #paused()}, {@link #unavailable()}),
 * so a paused endpoint's backlog costs nothing until its probe succeeds.
 */
public class DeliveryAttempts {

    private static final Logger log = LoggerFactory.getLogger(DeliveryAttempts.class);

    static final String EVENT_SOURCE = "/push-service";

    private static final Set<String> REDACTED = Set.of("authorization", "proxy-authorization", "cookie");

    private final WebhookRegistry registry;
    private final EndpointGuard guard;
    private final HttpSender sender;
    private final DeliveryStore store;
    private final PushLogStore logs;
    private final FileUrls files;
    private final EventPublisher events;
    private final DeliveryProperties properties;
    private final Clock clock;
    private final String owner;
    private final CircuitBreakerRegistry breakers;
    private final Map<UUID, EndpointLane> lanes = new ConcurrentHashMap<>();
    private final RateLimiterRegistry rateLimiters = RateLimiterRegistry.ofDefaults();
    private final Map<String, BodyTemplate> templates = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private final Timer latency;

    public DeliveryAttempts(
            WebhookRegistry registry,
            EndpointGuard guard,
            HttpSender sender,
            DeliveryStore store,
            PushLogStore logs,
            FileUrls files,
            EventPublisher events,
            DeliveryProperties properties,
            MeterRegistry meters,
            Clock clock,
            String owner) {
        this.registry = registry;
        this.guard = guard;
        this.sender = sender;
        this.store = store;
        this.logs = logs;
        this.files = files;
        this.events = events;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
        this.owner = owner;
        this.breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.breakerFailures())
                .minimumNumberOfCalls(properties.breakerFailures())
                .failureRateThreshold(100)
                .waitDurationInOpenState(properties.breakerPause())
                .permittedNumberOfCallsInHalfOpenState(1)
                // half-open when the pause ends, whether or not a delivery asks: the scheduler claims the probe
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .build());
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(meters);
        this.latency = Timer.builder("push_delivery_latency")
                .description("Event time to the endpoint's 2xx, retries included")
                .publishPercentileHistogram()
                .register(meters);
    }

    /** The replica name that leases deliveries. */
    public String owner() {
        return owner;
    }

    /** Webhooks whose endpoint is paused here (its circuit breaker is open): their new deliveries are stored unleased. */
    public Set<UUID> paused() {
        return breakers.getAllCircuitBreakers().stream()
                .filter(breaker -> breaker.getState() == CircuitBreaker.State.OPEN
                        || breaker.getState() == CircuitBreaker.State.FORCED_OPEN)
                .map(breaker -> UUID.fromString(breaker.getName()))
                .collect(Collectors.toSet());
    }

    /**
     * Webhooks this replica should not lease more deliveries of now: paused, probing (half-open with its probe in
     * flight), or with attempts already waiting their turn.
     */
    public Set<UUID> unavailable() {
        Set<UUID> unavailable = paused();
        breakers.getAllCircuitBreakers().stream()
                .filter(breaker -> breaker.getState() == CircuitBreaker.State.HALF_OPEN)
                .map(breaker -> UUID.fromString(breaker.getName()))
                .filter(webhook -> {
                    EndpointLane lane = lanes.get(webhook);
                    return lane != null && lane.inFlight() > 0;
                })
                .forEach(unavailable::add);
        lanes.forEach((webhook, lane) -> {
            if (lane.waiting() > 0) {
                unavailable.add(webhook);
            }
        });
        return unavailable;
    }

    private EndpointLane lane(UUID webhook) {
        return lanes.computeIfAbsent(webhook, id -> {
            EndpointLane lane = new EndpointLane(
                    properties.endpointConcurrency(),
                    properties.endpointQueue(),
                    properties.endpointWait().toNanos(),
                    System::nanoTime);
            Gauge.builder("push_endpoint_in_flight", lane, EndpointLane::inFlight)
                    .description("Attempts to the webhook's endpoint in flight on this replica")
                    .tag("webhook", id.toString())
                    .register(meters);
            Gauge.builder("push_endpoint_waiting", lane, EndpointLane::waiting)
                    .description("Deliveries waiting their turn for the webhook's endpoint on this replica")
                    .tag("webhook", id.toString())
                    .register(meters);
            return lane;
        });
    }

    /** Attempts a delivery this replica leased; completes when its outcome is stored. Never errors. */
    public Mono<Void> attempt(DueDelivery due) {
        Delivery delivery = due.delivery();
        return registry.current(delivery.webhookId())
                .flatMap(webhook -> webhook.enabled()
                        ? attempt(due, webhook)
                        : store.cancel(delivery.id(), owner, "The webhook is disabled", clock.instant())
                                .then())
                .onErrorResume(error -> {
                    log.warn("Delivery {} not attempted: {}", delivery.id(), error.toString());
                    return store.postpone(delivery.id(), owner, clock.instant().plusSeconds(10))
                            .onErrorResume(ignored -> Mono.empty())
                            .then();
                });
    }

    /**
     * Sends a sample {@code task.completed} to {@code webhook} now, once, whether it is enabled or not, and logs the
     * attempt (its own delivery id; no retries, no {@code webhook.*} events).
     */
    public Mono<PushLog> test(Webhook webhook) {
        Instant now = clock.instant();
        String eventId = "test_" + CloudEvent.newId().replace("-", "");
        PushEvent event = new PushEvent(
                eventId, EventTypes.TASK_COMPLETED, "task:T_TEST_0001", "T_TEST_0001", now, SampleEvent.data());
        Delivery delivery = new Delivery(
                UUID.fromString(CloudEvent.newId()),
                webhook.id(),
                eventId,
                event.taskId(),
                event.type(),
                DeliveryStatus.PENDING,
                0,
                now,
                null,
                null,
                now,
                now,
                null,
                null);
        DueDelivery due = new DueDelivery(delivery, event);
        return body(due, webhook)
                .onErrorResume(FileUrlUnavailable.class, unavailable -> Mono.just(new byte[0]))
                .flatMap(body -> {
                    Map<String, String> headers = headers(delivery, webhook, body, now);
                    return guard.check(webhook.url().toString())
                            .flatMap(endpoint ->
                                    sender.send(new HttpSender.Request(endpoint, headers, body, webhook.timeout())))
                            .onErrorResume(
                                    EndpointGuard.RefusedEndpoint.class,
                                    refused -> Mono.just(new HttpSender.Response(null, Map.of(), null, 0, refused)))
                            .map(response -> logEntry(
                                    delivery,
                                    webhook,
                                    headers,
                                    body,
                                    response,
                                    RetryRules.classify(response.status(), response.error()) == RetryDecision.DELIVERED,
                                    clock.instant()));
                })
                .flatMap(entry -> logs.append(entry).thenReturn(entry));
    }

    private Mono<Void> attempt(DueDelivery due, Webhook webhook) {
        UUID id = due.delivery().id();
        return lane(webhook.id())
                .run(Mono.defer(() -> start(due, webhook)))
                .onErrorResume(EndpointLane.Full.class, full -> store.postpone(
                                id, owner, clock.instant().plusSeconds(1))
                        .then())
                .onErrorResume(EndpointLane.Expired.class, expired -> store.postpone(id, owner, clock.instant())
                        .then());
    }

    /** The attempt, once it is the delivery's turn at its endpoint. */
    private Mono<Void> start(DueDelivery due, Webhook webhook) {
        Delivery delivery = due.delivery();
        CircuitBreaker breaker = breakers.circuitBreaker(webhook.id().toString());
        if (!breaker.tryAcquirePermission()) {
            // paused: back to the table, due now; this replica leaves it there until the breaker lets a probe through
            return store.postpone(delivery.id(), owner, clock.instant()).then();
        }
        if (webhook.rateLimit() != null && !rateLimiter(webhook).acquirePermission()) {
            breaker.releasePermission();
            return store.postpone(
                            delivery.id(), owner, clock.instant().plusMillis(Math.max(50, 1000 / webhook.rateLimit())))
                    .then();
        }
        return body(due, webhook)
                .flatMap(body -> send(due, webhook, body, breaker))
                .onErrorResume(FileUrlUnavailable.class, unavailable -> {
                    // file-service is down: not the endpoint's fault, and no reason to spend one of its retries
                    breaker.releasePermission();
                    log.warn("Delivery {} waits for file-service: {}", delivery.id(), unavailable.getMessage());
                    return store.postpone(delivery.id(), owner, clock.instant().plusSeconds(10))
                            .then();
                });
    }

    private RateLimiter rateLimiter(Webhook webhook) {
        // the limit is part of the name: a changed limit gets a limiter of its own
        return rateLimiters.rateLimiter(
                webhook.id() + "@" + webhook.rateLimit(),
                RateLimiterConfig.custom()
                        .limitForPeriod(webhook.rateLimit())
                        .limitRefreshPeriod(Duration.ofSeconds(1))
                        .timeoutDuration(Duration.ZERO)
                        .build());
    }

    /** A {@code file_url} that could not be had because file-service did not answer. */
    static final class FileUrlUnavailable extends RuntimeException {

        FileUrlUnavailable(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    private Mono<byte[]> body(DueDelivery due, Webhook webhook) {
        String source = webhook.bodyTemplate();
        BodyTemplate template = source == null
                ? BodyTemplate.defaultTemplate()
                : templates.computeIfAbsent(source, BodyTemplate::parse);
        PushEvent event = due.event();
        JsonNode data = event.data();
        Mono<String> fileUrl = template.uses("file_url") ? fileUrl(event) : Mono.just("");
        return fileUrl.map(url -> template.render(new TemplateValues(
                        event.taskId(),
                        data.get("result_json"),
                        url.isEmpty() ? null : url,
                        data.get("meta_info"),
                        event.type(),
                        event.eventId(),
                        event.time().getEpochSecond()))
                .getBytes(StandardCharsets.UTF_8));
    }

    private Mono<String> fileUrl(PushEvent event) {
        JsonNode resultFiles = event.data().get("result_files");
        if (event.taskId() == null || resultFiles == null || !resultFiles.isArray() || resultFiles.isEmpty()) {
            return Mono.just("");
        }
        return files.downloadUrl(event.taskId(), resultFiles.get(0).asString())
                .defaultIfEmpty("")
                .onErrorMap(FileUrlUnavailable::new);
    }

    private Mono<Void> send(DueDelivery due, Webhook webhook, byte[] body, CircuitBreaker breaker) {
        Delivery delivery = due.delivery();
        Instant now = clock.instant();
        Map<String, String> headers = headers(delivery, webhook, body, now);
        return guard.check(webhook.url().toString())
                .flatMap(endpoint -> sender.send(new HttpSender.Request(endpoint, headers, body, webhook.timeout())))
                .onErrorResume(
                        EndpointGuard.RefusedEndpoint.class,
                        refused -> Mono.just(new HttpSender.Response(null, Map.of(), null, 0, refused)))
                .flatMap(response -> {
                    RetryDecision decision = response.error() instanceof EndpointGuard.RefusedEndpoint
                            ? RetryDecision.GIVE_UP
                            : RetryRules.classify(response.status(), response.error());
                    if (decision == RetryDecision.RETRY) {
                        breaker.onError(response.durationMs(), TimeUnit.MILLISECONDS, failure(response));
                    } else {
                        breaker.onSuccess(response.durationMs(), TimeUnit.MILLISECONDS);
                    }
                    return outcome(due, webhook, headers, body, response, decision);
                });
    }

    private static Throwable failure(HttpSender.Response response) {
        return response.error() != null ? response.error() : new IllegalStateException("HTTP " + response.status());
    }

    private Map<String, String> headers(Delivery delivery, Webhook webhook, byte[] body, Instant now) {
        String timestamp = Long.toString(now.getEpochSecond());
        String sourceSignature = Signatures.sourceSignature(webhook.secret(), body);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", properties.userAgent());
        // source 003's names, which its receivers verify, and DESIGN §8's
        headers.put("X-IDP-Timestamp", timestamp);
        headers.put("X-IDP-Signature", sourceSignature);
        headers.put("X-Dashboard-Timestamp", timestamp);
        headers.put("X-Dashboard-Signature", sourceSignature);
        headers.put("webhook-id", delivery.messageId());
        headers.put("webhook-timestamp", timestamp);
        headers.put(
                "webhook-signature",
                Signatures.standardSignature(
                        webhook.signingSecrets(now), delivery.messageId(), now.getEpochSecond(), body));
        webhook.auth().apply(headers::put);
        return headers;
    }

    private Mono<Void> outcome(
            DueDelivery due,
            Webhook webhook,
            Map<String, String> headers,
            byte[] body,
            HttpSender.Response response,
            RetryDecision decision) {
        Delivery delivery = due.delivery();
        Instant now = clock.instant();
        int attempts = delivery.attempts() + 1;
        DeliveryStatus status;
        Instant next = null;
        switch (decision) {
            case DELIVERED -> status = DeliveryStatus.DELIVERED;
            case RETRY -> {
                RetrySchedule schedule =
                        webhook.retrySchedule() != null ? webhook.retrySchedule() : properties.defaultSchedule();
                Duration retryAfter = retryAfter(response, now);
                Optional<Instant> retry = schedule.next(
                        attempts, now, retryAfter, properties.retryAfterCap(), ThreadLocalRandom.current());
                status = retry.isPresent() ? DeliveryStatus.PENDING : DeliveryStatus.PUSH_FAILED;
                next = retry.orElse(null);
            }
            default -> status = DeliveryStatus.PUSH_FAILED;
        }
        PushLog entry = logEntry(delivery, webhook, headers, body, response, decision == RetryDecision.DELIVERED, now);
        meters.counter(
                        "push_attempts",
                        "outcome",
                        decision.name().toLowerCase(Locale.ROOT),
                        "webhook",
                        webhook.id().toString())
                .increment();
        if (delivery.attempts() > 0) {
            meters.counter("push_retries", "webhook", webhook.id().toString()).increment();
        }
        Mono<Void> disable = decision == RetryDecision.DISABLE
                ? registry.disableGone(webhook.id(), "The endpoint answered 410 Gone at " + now)
                : Mono.empty();
        return store.attempted(delivery.id(), owner, new DeliveryStore.Attempted(entry, status, attempts, next, now))
                .flatMap(applied -> {
                    if (!applied) {
                        log.warn(
                                "Delivery {} was taken over by another replica before its outcome was stored",
                                delivery.id());
                        return Mono.<Void>empty();
                    }
                    announce(due, webhook, entry, status);
                    if (status == DeliveryStatus.DELIVERED) {
                        latency.record(Duration.between(due.event().time(), now));
                    }
                    return disable;
                });
    }

    private static PushLog logEntry(
            Delivery delivery,
            Webhook webhook,
            Map<String, String> headers,
            byte[] body,
            HttpSender.Response response,
            boolean success,
            Instant at) {
        return new PushLog(
                null,
                delivery.id(),
                webhook.id(),
                delivery.taskId(),
                delivery.eventId(),
                success,
                response.status(),
                redacted(headers, webhook),
                new String(body, StandardCharsets.UTF_8),
                response.status() == null ? null : response.headers(),
                response.body(),
                response.durationMs(),
                delivery.attempts(),
                error(response),
                at);
    }

    private static Duration retryAfter(HttpSender.Response response, Instant now) {
        if (response.status() == null || (response.status() != 429 && response.status() != 503)) {
            return null;
        }
        String header = response.headers().entrySet().stream()
                .filter(entry -> entry.getKey().equalsIgnoreCase("Retry-After"))
                .map(Map.Entry::getValue)
                .findFirst()
                .orElse(null);
        return header == null ? null : RetryAfter.parse(header, now).orElse(null);
    }

    private static String error(HttpSender.Response response) {
        if (response.error() != null) {
            String message = response.error().getMessage();
            return response.error().getClass().getSimpleName() + (message == null ? "" : ": " + message);
        }
        if (response.status() >= 200 && response.status() < 300) {
            return null;
        }
        return "HTTP " + response.status();
    }

    private static Map<String, String> redacted(Map<String, String> headers, Webhook webhook) {
        Set<String> secret = webhook.auth().headerNames();
        Map<String, String> shown = new LinkedHashMap<>();
        headers.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            shown.put(name, secret.contains(lower) || REDACTED.contains(lower) ? "[redacted]" : value);
        });
        return shown;
    }

    private void announce(DueDelivery due, Webhook webhook, PushLog entry, DeliveryStatus status) {
        Delivery delivery = due.delivery();
        String subject = delivery.taskId() != null
                ? "task:" + delivery.taskId()
                : due.event().subject();
        String webhookId = webhook.id().toString();
        Long duration = entry.durationMs();
        if (status == DeliveryStatus.DELIVERED) {
            publish(
                    EventTypes.WEBHOOK_DELIVERED,
                    subject,
                    new WebhookDelivered(
                            delivery.taskId(), webhookId, entry.httpStatus(), duration, entry.retryCount()));
            return;
        }
        publish(
                EventTypes.WEBHOOK_FAILED,
                subject,
                new WebhookFailed(
                        delivery.taskId(),
                        webhookId,
                        entry.httpStatus(),
                        entry.errorMessage(),
                        duration,
                        entry.retryCount()));
        if (status == DeliveryStatus.PUSH_FAILED) {
            meters.counter("push_dead_lettered", "webhook", webhookId).increment();
            publish(
                    EventTypes.WEBHOOK_DEAD_LETTERED,
                    subject,
                    new WebhookDeadLettered(delivery.taskId(), webhookId, entry.errorMessage(), entry.retryCount()));
        }
    }

    private void publish(String type, String subject, Object data) {
        // the outcome is stored already; the event follows without holding the next attempt up
        events.publish(CloudEvent.of(type, EVENT_SOURCE, subject, data, clock))
                .retryWhen(Retry.backoff(5, Duration.ofMillis(200)))
                .subscribe(
                        id -> {},
                        error -> log.error("{} for subject {} not published: {}", type, subject, error.toString()));
    }
}
