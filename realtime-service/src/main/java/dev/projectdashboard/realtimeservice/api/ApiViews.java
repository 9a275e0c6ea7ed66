package dev.projectdashboard.realtimeservice.api;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
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
            String userId,
            String title,
            String message,
            @JsonAlias("type") String notificationType,
            String actionUrl) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record NotificationSent(boolean success, String message, String channel, String eventId) {}

    /** {@code POST /publish}: one event of a catalogue type, with the channel as its CloudEvent subject. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record PublishRequest(String channel, String type, JsonNode data) {}

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Published(boolean success, String channel, String type, String eventId, String stream, String streamId) {}

    /** {@code POST /broadcast}: the same event to several channels, once per key when a key is given. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record BroadcastRequest(List<String> channels, String type, JsonNode data, String idempotencyKey) {}

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
