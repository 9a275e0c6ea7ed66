package dev.projectdashboard.pushservice.api;

import dev.projectdashboard.pushservice.api.WebhookViews.RotateRequest;
import dev.projectdashboard.pushservice.api.WebhookViews.WebhookPage;
import dev.projectdashboard.pushservice.api.WebhookViews.WebhookRequest;
import dev.projectdashboard.pushservice.api.WebhookViews.WebhookView;
import dev.projectdashboard.pushservice.delivery.DeliveryAttempts;
import dev.projectdashboard.pushservice.delivery.PushLog;
import dev.projectdashboard.pushservice.webhook.InvalidWebhook;
import dev.projectdashboard.pushservice.webhook.WebhookRegistry;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Webhook registrations (docs/push-service.md, Registrations), for administrators. Secrets and auth config are
 * write-only: a generated or rotated signing secret is in the answer to that call and never again.
 */
@RestController
@RequestMapping(WebhookController.BASE)
class WebhookController {

    static final String BASE = "/api/v1/webhooks";

    private final WebhookRegistry registry;
    private final DeliveryAttempts attempts;
    private final Clock clock;

    WebhookController(WebhookRegistry registry, DeliveryAttempts attempts, Clock clock) {
        this.registry = registry;
        this.attempts = attempts;
        this.clock = clock;
    }

    @PostMapping
    Mono<ResponseEntity<WebhookView>> create(
            @RequestBody WebhookRequest request, @AuthenticationPrincipal DashboardPrincipal user) {
        return Mono.fromSupplier(request::change)
                .flatMap(change -> registry.create(change, user.userId()))
                .map(registered -> ResponseEntity.created(
                                URI.create(BASE + "/" + registered.webhook().id()))
                        .body(WebhookView.of(registered.webhook(), registered.secret(), clock.instant())))
                .onErrorMap(InvalidWebhook.class, WebhookController::invalid);
    }

    @GetMapping
    Mono<WebhookPage> list(
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(defaultValue = "0") @Min(0) long offset) {
        return registry.list(limit, offset)
                .map(page -> new WebhookPage(
                        page.webhooks().stream()
                                .map(webhook -> WebhookView.of(webhook, null, clock.instant()))
                                .toList(),
                        page.total(),
                        limit,
                        offset));
    }

    @GetMapping("/{id}")
    Mono<WebhookView> get(@PathVariable UUID id) {
        return found(registry.find(id)).map(webhook -> WebhookView.of(webhook, null, clock.instant()));
    }

    @PatchMapping("/{id}")
    Mono<WebhookView> update(@PathVariable UUID id, @RequestBody WebhookRequest request) {
        return Mono.fromSupplier(request::change)
                .flatMap(change -> found(registry.update(id, change)))
                .map(webhook -> WebhookView.of(webhook, null, clock.instant()))
                .onErrorMap(InvalidWebhook.class, WebhookController::invalid);
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id) {
        return registry.delete(id)
                .flatMap(deleted ->
                        deleted ? Mono.just(ResponseEntity.noContent().<Void>build()) : Mono.error(notFound()));
    }

    @PostMapping("/{id}/enable")
    Mono<WebhookView> enable(@PathVariable UUID id) {
        return found(registry.enable(id, true)).map(webhook -> WebhookView.of(webhook, null, clock.instant()));
    }

    @PostMapping("/{id}/disable")
    Mono<WebhookView> disable(@PathVariable UUID id) {
        return found(registry.enable(id, false)).map(webhook -> WebhookView.of(webhook, null, clock.instant()));
    }

    /** A new signing secret; the old one keeps signing ({@code webhook-signature}) for the grace period. */
    @PostMapping("/{id}/rotate-secret")
    Mono<WebhookView> rotateSecret(@PathVariable UUID id, @RequestBody(required = false) RotateRequest request) {
        return found(registry.rotateSecret(id, request == null ? null : request.secret()))
                .map(registered -> WebhookView.of(registered.webhook(), registered.secret(), clock.instant()))
                .onErrorMap(InvalidWebhook.class, WebhookController::invalid);
    }

    /** Sends a sample {@code task.completed} now, once (no retries), and answers the attempt as logged. */
    @PostMapping("/{id}/test")
    Mono<PushLog> test(@PathVariable UUID id) {
        return found(registry.find(id)).flatMap(attempts::test);
    }

    private static <T> Mono<T> found(Mono<T> result) {
        return result.switchIfEmpty(Mono.error(WebhookController::notFound));
    }

    private static ProblemException notFound() {
        return new ProblemException(HttpStatus.NOT_FOUND, "No such webhook.");
    }

    private static ProblemException invalid(Throwable error) {
        InvalidWebhook invalid = (InvalidWebhook) error;
        return ProblemException.invalid(
                "The webhook is invalid: " + invalid.field() + " " + invalid.getMessage(),
                List.of(new FieldViolation(invalid.field(), invalid.getMessage())));
    }
}
