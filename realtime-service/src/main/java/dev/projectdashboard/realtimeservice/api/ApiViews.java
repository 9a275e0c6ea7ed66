package dev.projectdashboard.realtimeservice.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.projectdashboard.realtimeservice.api.ChannelParameter.Kind;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.annotation.JsonNaming;

/**
 * Request and response bodies of the server API, snake_case on the wire whatever the application's global naming
 * strategy.
 */
final class ApiViews {

    static final String REQUIRED = "is required";
    static final String AT_MOST = "must be at most {max} characters";

    /** Consumers keep notifications and events in PostgreSQL, whose texts cannot hold a NUL. */
    static final String NO_NUL = "[^\\x00]*";

    static final String NUL = "must not contain NUL characters";
    static final String IDEMPOTENCY_KEY = "[A-Za-z0-9._:~+=/-]{1,200}";
    static final String IDEMPOTENCY_KEY_MESSAGE = "must be 1 to 200 characters of [A-Za-z0-9._:~+=/-]";

    private ApiViews() {}

    /**
     * {@code GET /stats}: the contract's fields (docs/contracts.md), cluster-wide; {@code active_users} is the contract's list of user ids,
     * cut at the request's {@code limit} ({@code active_users_truncated}), {@code active_user_count} counts them all.
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stats(
            long totalConnections,
            long totalUsers,
            List<String> activeUsers,
            long activeUserCount,
            boolean activeUsersTruncated,
            int replicas) {}

    /**
     * {@code POST /notifications}: the contract's (docs/contracts.md) {@code send-notification} fields; without {@code user_id} the
     * notification goes to every user ({@code system:notifications}).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NotificationRequest(
            @ChannelParameter(Kind.USER) String userId,
            @NotBlank(message = REQUIRED) @Size(max = 200, message = AT_MOST) @Pattern(regexp = NO_NUL, message = NUL)
                    String title,
            @NotBlank(message = REQUIRED) @Size(max = 4000, message = AT_MOST) @Pattern(regexp = NO_NUL, message = NUL)
                    String message,
            @JsonAlias("type")
                    @Pattern(
                            regexp = "[A-Za-z0-9_.-]{1,32}",
                            message = "must be a short word such as info, warning or error")
                    String notificationType,
            @Size(max = 2048, message = AT_MOST) @Pattern(regexp = NO_NUL, message = NUL) String actionUrl) {

        /** User id, type and URL without surrounding blanks, blank ones absent; title and message as sent. */
        NotificationRequest trimmed() {
            return new NotificationRequest(
                    trimToNull(userId), title, message, trimToNull(notificationType), trimToNull(actionUrl));
        }

        private static String trimToNull(String value) {
            return value == null || value.isBlank() ? null : value.trim();
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NotificationSent(boolean success, String message, String channel, String eventId) {}

    /** {@code POST /publish}: one event of a catalogue type, with the channel as its CloudEvent subject. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PublishRequest(
            @NotBlank(message = REQUIRED) @ChannelParameter String channel,
            @NotBlank(message = REQUIRED) @EventTypeName String type,
            @EventPayload JsonNode data) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Published(boolean success, String channel, String type, String eventId, String stream, String streamId) {}

    /** {@code POST /broadcast}: the same event to several channels, once per key when a key is given. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BroadcastRequest(
            @NotEmpty(message = "must name at least one channel") @DistinctChannels
                    List<@NotBlank(message = REQUIRED) @ChannelParameter String> channels,
            @NotBlank(message = REQUIRED) @EventTypeName String type,
            @EventPayload JsonNode data,
            @Pattern(regexp = "\\s*|" + IDEMPOTENCY_KEY, message = IDEMPOTENCY_KEY_MESSAGE) String idempotencyKey) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Broadcasted(
            boolean success, String type, String stream, List<Delivery> publications, String idempotencyKey) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Delivery(String channel, String eventId, String streamId) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Presence(String channel, int numClients, int numUsers, List<Client> presence) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Client(String userId, String connectionId, String transport, Instant connectedAt) {}

    static Client client(PresenceChange.ClientInfo info) {
        return new Client(info.userId(), info.connectionId(), info.transport(), info.connectedAt());
    }

    /** {@code GET /history/{channel}}: {@code complete} is true when {@code since} was given and nothing is missing. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record HistoryPage(String channel, String epoch, long offset, boolean complete, List<Item> publications) {}

    /** One kept publication; {@code data} is the CloudEvent data verbatim. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Item(long offset, String id, String type, Instant time, @JsonRawValue String data) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Disconnected(String userId, long disconnected) {}
}
