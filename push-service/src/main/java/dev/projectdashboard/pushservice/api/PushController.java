package dev.projectdashboard.pushservice.api;

import dev.projectdashboard.pushservice.api.WebhookViews.DeliveryPage;
import dev.projectdashboard.pushservice.api.WebhookViews.DeliveryView;
import dev.projectdashboard.pushservice.api.WebhookViews.PushLogPage;
import dev.projectdashboard.pushservice.api.WebhookViews.RepushRequest;
import dev.projectdashboard.pushservice.api.WebhookViews.RepushResult;
import dev.projectdashboard.pushservice.delivery.DeliveryStore;
import dev.projectdashboard.pushservice.delivery.PushLogStore;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Push logs, deliveries and the dead-letter queue (docs/push-service.md; source 003's {@code get_push_logs},
 * {@code get_dlq_tasks}, {@code retry_dlq_task}), for administrators.
 */
@RestController
@RequestMapping(PushController.BASE)
class PushController {

    static final String BASE = "/api/v1/push";

    /** Task ids are matched as they are stored: text without control characters (PostgreSQL refuses NUL). */
    static final String NO_CONTROL = "[^\\p{Cntrl}]*";

    static final String NO_CONTROL_RULE = "must not contain control characters";

    private final DeliveryStore deliveries;
    private final PushLogStore logs;
    private final Clock clock;

    PushController(DeliveryStore deliveries, PushLogStore logs, Clock clock) {
        this.deliveries = deliveries;
        this.logs = logs;
        this.clock = clock;
    }

    @GetMapping("/logs")
    Mono<PushLogPage> logs(
            @RequestParam(name = "task_id", required = false)
                    @Size(max = 255)
                    @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_RULE)
                    String taskId,
            @RequestParam(name = "webhook_id", required = false) UUID webhookId,
            @RequestParam(required = false) Boolean success,
            @RequestParam(required = false) Instant from,
            @RequestParam(required = false) Instant to,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit,
            @RequestParam(defaultValue = "0") @Min(0) long offset) {
        PushLogStore.Query query = new PushLogStore.Query(taskId, webhookId, success, from, to, limit, offset);
        return logs.find(query)
                .collectList()
                .zipWith(logs.count(query), (page, total) -> new PushLogPage(page, total, limit, offset));
    }

    /** A task's deliveries: its push status per webhook. */
    @GetMapping("/deliveries")
    Mono<List<DeliveryView>> deliveries(
            @RequestParam(name = "task_id") @Size(max = 255) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_RULE)
                    String taskId) {
        return deliveries.ofTask(taskId).map(DeliveryView::of).collectList();
    }

    @GetMapping("/dlq")
    Mono<DeliveryPage> deadLetters(
            @RequestParam(name = "webhook_id", required = false) UUID webhookId,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit,
            @RequestParam(defaultValue = "0") @Min(0) long offset) {
        return deliveries
                .dead(webhookId, limit, offset)
                .map(DeliveryView::of)
                .collectList()
                .zipWith(
                        deliveries.countDead(webhookId), (page, total) -> new DeliveryPage(page, total, limit, offset));
    }

    /**
     * Source 003's {@code retry_dlq_task(task_id, webhook_id=None)}: the task's dead-lettered deliveries (to one webhook,
     * or to all) go back to the queue with a fresh retry schedule and the same {@code webhook-id}.
     */
    @PostMapping("/dlq/{taskId}/retry")
    Mono<RepushResult> retryTask(
            @PathVariable @Size(max = 255) @Pattern(regexp = NO_CONTROL, message = NO_CONTROL_RULE) String taskId,
            @RequestParam(name = "webhook_id", required = false) UUID webhookId) {
        return deliveries
                .repush(new DeliveryStore.DeadFilter(taskId, webhookId, null, null, null), clock.instant())
                .map(count -> count > 0
                        ? new RepushResult(true, "Pushing " + count + " deliveries again", count)
                        : new RepushResult(false, "No dead-lettered delivery of task " + taskId, 0));
    }

    /** Re-pushes every dead-lettered delivery the filter selects (by webhook, event type, time dead-lettered). */
    @PostMapping("/dlq/retry")
    Mono<RepushResult> retryMatching(@RequestBody RepushRequest request) {
        return deliveries
                .repush(
                        new DeliveryStore.DeadFilter(
                                request.taskId(),
                                request.webhookId(),
                                request.eventType(),
                                request.from(),
                                request.to()),
                        clock.instant())
                .map(count -> new RepushResult(count > 0, "Pushing " + count + " deliveries again", count));
    }
}
