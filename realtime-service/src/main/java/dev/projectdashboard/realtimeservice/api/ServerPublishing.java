package dev.projectdashboard.realtimeservice.api;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventType;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.realtimeservice.api.ApiViews.BroadcastRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Broadcasted;
import dev.projectdashboard.realtimeservice.api.ApiViews.Delivery;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationSent;
import dev.projectdashboard.realtimeservice.api.ApiViews.PublishRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Published;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.starter.problem.FieldViolation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The publishing half of the server API: every request becomes CloudEvents appended to the domain stream of their
 * type (docs/contracts.md, Events), so every replica's fan-out delivers them, exactly like events from any other producer.
 */
@Component
class ServerPublishing {

    /** CloudEvent {@code source} of events published through this API. */
    static final String SOURCE = "/realtime-service";

    static final String DEFAULT_NOTIFICATION_TYPE = "info";

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile(ApiViews.IDEMPOTENCY_KEY);

    private final EventPublisher publisher;
    private final BroadcastIdempotency idempotency;
    private final RealtimeApiProperties properties;
    private final Clock clock;

    ServerPublishing(
            EventPublisher publisher, BroadcastIdempotency idempotency, RealtimeApiProperties properties, Clock clock) {
        this.clock = clock;
        this.publisher = publisher;
        this.idempotency = idempotency;
        this.properties = properties;
        sha256(new byte[0]); // loads the provider now, not on an event loop
    }

    /** @param request a valid request (see {@link NotificationRequest}), trimmed */
    Mono<NotificationSent> notify(NotificationRequest request) {
        String userId = request.userId();
        ChannelName channel =
                userId != null ? ChannelName.of(ChannelName.USER, userId) : ChannelName.SYSTEM_NOTIFICATIONS;
        String type = request.notificationType();
        Notification data = new Notification(
                userId,
                request.title(),
                request.message(),
                type == null ? DEFAULT_NOTIFICATION_TYPE : type.toLowerCase(Locale.ROOT),
                request.actionUrl());
        String subject = channel.toString();
        CloudEvent<Notification> event = CloudEvent.of(EventTypes.NOTIFICATION, SOURCE, subject, data, clock);
        return publisher
                .publish(Streams.NOTIFICATIONS, event)
                .onErrorMap(ApiErrors::translate)
                .map(id -> new NotificationSent(
                        true,
                        userId != null ? "Notification sent to user " + userId : "Notification sent to all users",
                        subject,
                        event.id()));
    }

    /** @param request a request its constraints found valid */
    Mono<Published> publish(PublishRequest request) {
        ChannelName channel = ChannelName.parse(request.channel());
        EventType type = EventType.of(request.type()).orElseThrow();
        List<FieldViolation> errors = EventData.check(type, request.data());
        if (!errors.isEmpty()) {
            return Mono.error(ApiErrors.invalid(errors));
        }
        CloudEvent<JsonNode> event = CloudEvent.of(type.type(), SOURCE, channel.toString(), request.data(), clock);
        return publisher
                .publish(type.stream(), event)
                .onErrorMap(ApiErrors::translate)
                .map(streamId ->
                        new Published(true, channel.toString(), type.type(), event.id(), type.stream(), streamId));
    }

    /**
     * @param request a request its constraints found valid
     * @param headerKey the {@code Idempotency-Key} header, used when the body names no key
     */
    Mono<BroadcastResult> broadcast(BroadcastRequest request, String headerKey) {
        List<FieldViolation> errors = new ArrayList<>();
        // a configured limit, which a constraint's annotation cannot carry
        if (request.channels().size() > properties.maxBroadcastChannels()) {
            errors.add(new FieldViolation(
                    "channels", "must name at most " + properties.maxBroadcastChannels() + " channels"));
        }
        List<ChannelName> channels =
                request.channels().stream().map(ChannelName::parse).toList();
        EventType type = EventType.of(request.type()).orElseThrow();
        errors.addAll(EventData.check(type, request.data()));
        String key = blankToNull(request.idempotencyKey()) != null ? request.idempotencyKey() : blankToNull(headerKey);
        // the header's key is no body field; the body's own key has its constraint
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            errors.add(new FieldViolation("idempotency_key", ApiViews.IDEMPOTENCY_KEY_MESSAGE));
        }
        if (!errors.isEmpty()) {
            return Mono.error(ApiErrors.invalid(errors));
        }
        if (key == null) {
            return publishAll(channels, type, request.data(), null).map(result -> new BroadcastResult(result, false));
        }
        String fingerprint = fingerprint(channels, type, request.data());
        return idempotency.once(key, fingerprint, () -> publishAll(channels, type, request.data(), key));
    }

    /** The answer of a broadcast and whether it is the stored answer of an earlier request with the same key. */
    record BroadcastResult(Broadcasted body, boolean replayed) {}

    /**
     * One event per channel, in the order given. With an idempotency key the event ids are derived from key and
     * channel: a retry after a partial failure republishes the same ids, which the fan-out's sequencer drops as
     * duplicates.
     */
    private Mono<Broadcasted> publishAll(List<ChannelName> channels, EventType type, JsonNode data, String key) {
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return Flux.fromIterable(channels)
                .concatMap(channel -> {
                    String id = key == null ? CloudEvent.newId() : derivedId(key, channel);
                    CloudEvent<JsonNode> event = new CloudEvent<>(
                            CloudEvent.SPEC_VERSION,
                            id,
                            SOURCE,
                            type.type(),
                            time,
                            channel.toString(),
                            CloudEvent.JSON,
                            data);
                    return publisher
                            .publish(type.stream(), event)
                            .map(streamId -> new Delivery(channel.toString(), id, streamId));
                })
                .collectList()
                .onErrorMap(ApiErrors::translate)
                .map(deliveries -> new Broadcasted(true, type.type(), type.stream(), deliveries, key));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static String fingerprint(List<ChannelName> channels, EventType type, JsonNode data) {
        String canonical = channels + "\n" + type.type() + "\n" + data;
        return HexFormat.of().formatHex(sha256(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    /** A UUID (version 8, name-based) from key and channel. */
    private static String derivedId(String key, ChannelName channel) {
        ByteBuffer hash = ByteBuffer.wrap(sha256((key + "\n" + channel).getBytes(StandardCharsets.UTF_8)));
        long most = (hash.getLong() & ~0xF000L) | 0x8000L;
        long least = (hash.getLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(most, least).toString();
    }

    private static byte[] sha256(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(input);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
