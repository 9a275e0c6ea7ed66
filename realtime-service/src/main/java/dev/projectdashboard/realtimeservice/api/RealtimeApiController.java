package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.realtimeservice.api.ApiLimit.Endpoint;
import dev.projectdashboard.realtimeservice.api.ApiViews.BroadcastRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Broadcasted;
import dev.projectdashboard.realtimeservice.api.ApiViews.Client;
import dev.projectdashboard.realtimeservice.api.ApiViews.Disconnected;
import dev.projectdashboard.realtimeservice.api.ApiViews.HistoryPage;
import dev.projectdashboard.realtimeservice.api.ApiViews.Item;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationSent;
import dev.projectdashboard.realtimeservice.api.ApiViews.Presence;
import dev.projectdashboard.realtimeservice.api.ApiViews.PublishRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Published;
import dev.projectdashboard.realtimeservice.api.ApiViews.Stats;
import dev.projectdashboard.realtimeservice.api.ChannelParameter.Kind;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.hub.Cluster;
import dev.projectdashboard.realtimeservice.hub.History;
import dev.projectdashboard.realtimeservice.hub.History.Page;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import java.util.List;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The server API (docs/contracts.md, Realtime channels and protocols), for backends with {@code X-Api-Key} and administrators with an
 * admin JWT ({@link RealtimeApiSecurity}). Publishing goes through the Redis streams, so every replica delivers.
 */
@RestController
@RequestMapping(RealtimeApiController.BASE)
class RealtimeApiController {

    static final String BASE = "/api/v1/realtime";

    /** Response header set on a broadcast answered from an earlier request with the same idempotency key. */
    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final Cluster cluster;
    private final History history;
    private final ServerPublishing publishing;
    private final RealtimeApiProperties properties;
    private final Validator validator;

    RealtimeApiController(
            Cluster cluster,
            History history,
            ServerPublishing publishing,
            RealtimeApiProperties properties,
            Validator validator) {
        this.cluster = cluster;
        this.history = history;
        this.publishing = publishing;
        this.properties = properties;
        this.validator = validator;
    }

    /** The contract's (docs/contracts.md) {@code GET /stats}; {@code limit} bounds the {@code active_users} list, not the counts. */
    @GetMapping("/stats")
    Mono<Stats> stats(@RequestParam(name = "limit", required = false) @ApiLimit(Endpoint.STATS) Integer limit) {
        return cluster.stats(limit == null ? properties.statsDefaultLimit() : limit)
                .onErrorMap(ApiErrors::translate)
                .map(stats -> new Stats(
                        stats.totalConnections(),
                        stats.totalUsers(),
                        stats.activeUsers(),
                        stats.activeUserCount(),
                        stats.activeUsersTruncated(),
                        stats.replicas()));
    }

    /**
     * The contract's (docs/contracts.md) {@code POST /send-notification?user_id=&title=&message=&notification_type=}: the fields as query
     * parameters, or as a JSON body (body fields win).
     */
    @PostMapping("/notifications")
    Mono<NotificationSent> notification(
            @RequestParam(name = "user_id", required = false) String userId,
            @RequestParam(name = "title", required = false) String title,
            @RequestParam(name = "message", required = false) String message,
            @RequestParam(name = "notification_type", required = false) String notificationType,
            @RequestParam(name = "action_url", required = false) String actionUrl,
            @RequestBody(required = false) Mono<NotificationRequest> body) {
        NotificationRequest fromQuery = new NotificationRequest(userId, title, message, notificationType, actionUrl);
        // validated once merged: query and body each may hold only some of the fields
        return body.map(json -> new NotificationRequest(
                        firstOf(json.userId(), userId),
                        firstOf(json.title(), title),
                        firstOf(json.message(), message),
                        firstOf(json.notificationType(), notificationType),
                        firstOf(json.actionUrl(), actionUrl)))
                .defaultIfEmpty(fromQuery)
                .map(request -> valid(request.trimmed()))
                .flatMap(publishing::notify);
    }

    @PostMapping("/publish")
    Mono<Published> publish(@Valid @RequestBody PublishRequest request) {
        return publishing.publish(request);
    }

    /** The key may come in the body ({@code idempotency_key}) or as the {@code Idempotency-Key} header. */
    @PostMapping("/broadcast")
    Mono<ResponseEntity<Broadcasted>> broadcast(
            @Valid @RequestBody BroadcastRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return publishing.broadcast(request, idempotencyKey).map(result -> {
            ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
            if (result.replayed()) {
                answer.header(REPLAYED_HEADER, "true");
            }
            return answer.body(result.body());
        });
    }

    @GetMapping("/presence/{channel}")
    Mono<Presence> presence(@PathVariable @NotBlank @ChannelParameter String channel) {
        ChannelName name = ChannelName.parse(channel);
        return cluster.presence(name).onErrorMap(ApiErrors::translate).map(clients -> {
            List<Client> presence = clients.stream().map(ApiViews::client).toList();
            int users = (int) clients.stream()
                    .map(PresenceChange.ClientInfo::userId)
                    .distinct()
                    .count();
            return new Presence(name.toString(), presence.size(), users, presence);
        });
    }

    @GetMapping("/history/{channel}")
    Mono<HistoryPage> history(
            @PathVariable @NotBlank @ChannelParameter String channel,
            @RequestParam(name = "since", required = false) @Min(value = 0, message = "must be an offset of 0 or more")
                    Long since,
            @RequestParam(name = "limit", required = false) @ApiLimit(Endpoint.HISTORY) Integer limit) {
        ChannelName name = ChannelName.parse(channel);
        return history.read(name, since, limit == null ? properties.historyDefaultLimit() : limit)
                .onErrorMap(ApiErrors::translate)
                .flatMap(page -> {
                    if (since != null && since > page.offset()) {
                        // an offset of another epoch (the history started over), or none the channel ever had: the
                        // client learns where the channel stands and reloads from there
                        return Mono.error(
                                ApiErrors.invalid("since", "is beyond the channel's newest offset, " + page.offset())
                                        .with("offset", page.offset())
                                        .with("epoch", page.epoch()));
                    }
                    return Mono.just(view(page));
                });
    }

    /** Closes every connection of the user on every replica (close code 3503: do not reconnect with that token). */
    @PostMapping("/users/{user_id}/disconnect")
    Mono<Disconnected> disconnect(@PathVariable("user_id") @NotBlank @ChannelParameter(Kind.USER) String userId) {
        return cluster.disconnectUser(userId)
                .onErrorMap(ApiErrors::translate)
                .map(count -> new Disconnected(userId, count));
    }

    private static HistoryPage view(Page page) {
        List<Item> items = page.publications().stream()
                .map(publication -> new Item(
                        publication.offset(),
                        publication.eventId(),
                        publication.type(),
                        publication.time(),
                        publication.dataJson()))
                .toList();
        return new HistoryPage(page.channel(), page.epoch(), page.offset(), page.complete(), items);
    }

    /** Refuses what the request's constraints refuse, with the problem the starter makes of it (JSON field names). */
    private NotificationRequest valid(NotificationRequest request) {
        Set<ConstraintViolation<NotificationRequest>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
        return request;
    }

    private static String firstOf(String preferred, String fallback) {
        return preferred != null ? preferred : fallback;
    }
}
