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
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
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

    private static final Pattern NOTIFICATION_TYPE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:~+=/-]{1,200}");
    private static final int MAX_TITLE = 200;
    private static final int MAX_MESSAGE = 4000;
    private static final int MAX_URL = 2048;

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

    Mono<NotificationSent> notify(NotificationRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        String userId = blankToNull(request.userId());
        ChannelName channel = ChannelName.SYSTEM_NOTIFICATIONS;
        if (userId != null) {
            try {
                channel = ChannelName.of(ChannelName.USER, userId);
            } catch (IllegalArgumentException e) {
                errors.add(new FieldViolation("user_id", "must be a user id of [A-Za-z0-9._@~+=-], at most 128"));
            }
        }
        requireText(errors, "title", request.title(), MAX_TITLE);
        requireText(errors, "message", request.message(), MAX_MESSAGE);
        String type = blankToNull(request.notificationType());
        if (type != null && !NOTIFICATION_TYPE.matcher(type).matches()) {
            errors.add(new FieldViolation("notification_type", "must be a short word such as info, warning or error"));
        }
        String actionUrl = blankToNull(request.actionUrl());
        if (actionUrl != null && actionUrl.length() > MAX_URL) {
            errors.add(new FieldViolation("action_url", "must be at most " + MAX_URL + " characters"));
        } else if (actionUrl != null) {
            refuseNul(errors, "action_url", actionUrl);
        }
        if (!errors.isEmpty()) {
            return Mono.error(ApiErrors.invalid(errors));
        }
        Notification data = new Notification(
                userId,
                request.title(),
                request.message(),
                type == null ? DEFAULT_NOTIFICATION_TYPE : type.toLowerCase(Locale.ROOT),
                actionUrl);
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

    Mono<Published> publish(PublishRequest request) {
        List<FieldViolation> errors = new ArrayList<>();
        ChannelName channel = channel(errors, "channel", request.channel());
        EventType type = type(errors, request.type());
        EventData.check(errors, type, request.data());
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
     * @param headerKey the {@code Idempotency-Key} header, used when the body names no key
     */
    Mono<BroadcastResult> broadcast(BroadcastRequest request, String headerKey) {
        List<FieldViolation> errors = new ArrayList<>();
        List<ChannelName> channels = new ArrayList<>();
        if (request.channels() == null || request.channels().isEmpty()) {
            errors.add(new FieldViolation("channels", "must name at least one channel"));
        } else if (request.channels().size() > properties.maxBroadcastChannels()) {
            errors.add(new FieldViolation(
                    "channels", "must name at most " + properties.maxBroadcastChannels() + " channels"));
        } else {
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < request.channels().size(); i++) {
                String field = "channels[" + i + "]";
                ChannelName channel = channel(errors, field, request.channels().get(i));
                if (channel != null && !seen.add(channel.toString())) {
                    errors.add(new FieldViolation(field, "names " + channel + " twice"));
                } else if (channel != null) {
                    channels.add(channel);
                }
            }
        }
        EventType type = type(errors, request.type());
        EventData.check(errors, type, request.data());
        String key = blankToNull(request.idempotencyKey()) != null ? request.idempotencyKey() : blankToNull(headerKey);
        if (key != null && !IDEMPOTENCY_KEY.matcher(key).matches()) {
            errors.add(new FieldViolation("idempotency_key", "must be 1 to 200 characters of [A-Za-z0-9._:~+=/-]"));
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

    private static ChannelName channel(List<FieldViolation> errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldViolation(field, "is required"));
            return null;
        }
        try {
            return ChannelName.parse(value);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldViolation(field, e.getMessage()));
            return null;
        }
    }

    private static EventType type(List<FieldViolation> errors, String value) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldViolation("type", "is required"));
            return null;
        }
        return EventType.of(value).orElseGet(() -> {
            errors.add(new FieldViolation(
                    "type",
                    "must be an event type of the catalogue: "
                            + Arrays.stream(EventType.values())
                                    .map(EventType::type)
                                    .toList()));
            return null;
        });
    }

    private static void requireText(List<FieldViolation> errors, String field, String value, int max) {
        if (value == null || value.isBlank()) {
            errors.add(new FieldViolation(field, "is required"));
        } else if (value.length() > max) {
            errors.add(new FieldViolation(field, "must be at most " + max + " characters"));
        } else {
            refuseNul(errors, field, value);
        }
    }

    /** Consumers keep notifications in PostgreSQL, whose texts cannot hold a NUL. */
    private static void refuseNul(List<FieldViolation> errors, String field, String value) {
        if (value.indexOf('\u0000') >= 0) {
            errors.add(new FieldViolation(field, "must not contain NUL characters"));
        }
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
