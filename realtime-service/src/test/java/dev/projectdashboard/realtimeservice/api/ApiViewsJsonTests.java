package dev.projectdashboard.realtimeservice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.realtimeservice.api.ApiViews.BroadcastRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Broadcasted;
import dev.projectdashboard.realtimeservice.api.ApiViews.Client;
import dev.projectdashboard.realtimeservice.api.ApiViews.Delivery;
import dev.projectdashboard.realtimeservice.api.ApiViews.Disconnected;
import dev.projectdashboard.realtimeservice.api.ApiViews.HistoryPage;
import dev.projectdashboard.realtimeservice.api.ApiViews.Item;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.NotificationSent;
import dev.projectdashboard.realtimeservice.api.ApiViews.Presence;
import dev.projectdashboard.realtimeservice.api.ApiViews.PublishRequest;
import dev.projectdashboard.realtimeservice.api.ApiViews.Published;
import dev.projectdashboard.realtimeservice.api.ApiViews.Stats;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * The server API's bodies on the wire: snake_case field names (docs/contracts.md) whatever the mapper's own naming
 * strategy, here an upper camel case one no view may follow.
 */
class ApiViewsJsonTests {

    private final JsonMapper json = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE)
            .build();

    @Test
    void notificationRequestsReadSnakeCaseAndTypeAsTheNotificationType() {
        NotificationRequest request = json.readValue(
                """
                {"user_id":"alice","title":"T","message":"M","type":"warning","action_url":"/x"}
                """,
                NotificationRequest.class);

        assertThat(request).isEqualTo(new NotificationRequest("alice", "T", "M", "warning", "/x"));
        assertThat(json.readValue("{\"notification_type\":\"error\"}", NotificationRequest.class)
                        .notificationType())
                .isEqualTo("error");
    }

    @Test
    void publishAndBroadcastRequestsReadSnakeCaseAndKeepDataAsATree() {
        PublishRequest publish = json.readValue(
                "{\"channel\":\"task:t\",\"type\":\"task.log\",\"data\":{\"task_id\":\"t\",\"n\":[1]}}",
                PublishRequest.class);
        BroadcastRequest broadcast = json.readValue(
                "{\"channels\":[\"project:a\"],\"type\":\"notification\",\"data\":{},\"idempotency_key\":\"k\"}",
                BroadcastRequest.class);

        assertThat(publish.channel()).isEqualTo("task:t");
        assertThat(publish.data().path("n").get(0).asInt()).isEqualTo(1);
        assertThat(broadcast.channels()).containsExactly("project:a");
        assertThat(broadcast.idempotencyKey()).isEqualTo("k");
    }

    @Test
    void answersWriteSnakeCase() {
        assertThat(tree(new Stats(5, 3, List.of("u1"), 3, true, 2)))
                .isEqualTo(
                        tree(
                                """
                        {"total_connections":5,"total_users":3,"active_users":["u1"],"active_user_count":3,
                         "active_users_truncated":true,"replicas":2}
                        """));
        assertThat(tree(new NotificationSent(true, "sent", "user:alice", "e1")))
                .isEqualTo(
                        tree("{\"success\":true,\"message\":\"sent\",\"channel\":\"user:alice\",\"event_id\":\"e1\"}"));
        assertThat(tree(new Published(true, "task:t", "task.log", "e1", "tasks", "1-0")))
                .isEqualTo(
                        tree(
                                """
                        {"success":true,"channel":"task:t","type":"task.log","event_id":"e1","stream":"tasks",
                         "stream_id":"1-0"}
                        """));
        assertThat(tree(new Disconnected("alice", 2))).isEqualTo(tree("{\"user_id\":\"alice\",\"disconnected\":2}"));
    }

    @Test
    void aBroadcastWithoutKeyLeavesTheKeyOut() {
        Delivery delivery = new Delivery("project:a", "e1", "1-0");

        assertThat(tree(new Broadcasted(true, "notification", "notifications", List.of(delivery), null)))
                .isEqualTo(
                        tree(
                                """
                        {"success":true,"type":"notification","stream":"notifications",
                         "publications":[{"channel":"project:a","event_id":"e1","stream_id":"1-0"}]}
                        """));
        assertThat(tree(new Broadcasted(true, "notification", "notifications", List.of(), "k"))
                        .path("idempotency_key")
                        .asString())
                .isEqualTo("k");
    }

    @Test
    void presenceNamesItsClientsInSnakeCase() {
        Client client = new Client("alice", "c1", "websocket", Instant.parse("2026-01-02T03:04:05Z"));

        JsonNode presence = tree(new Presence("project:p", 1, 1, List.of(client)));

        assertThat(presence.path("num_clients").asInt()).isEqualTo(1);
        assertThat(presence.path("num_users").asInt()).isEqualTo(1);
        JsonNode first = presence.path("presence").get(0);
        assertThat(first.path("user_id").asString()).isEqualTo("alice");
        assertThat(first.path("connection_id").asString()).isEqualTo("c1");
        assertThat(first.has("connected_at")).isTrue();
    }

    @Test
    void historyItemsCarryTheirDataVerbatim() {
        Item item = new Item(1, "e1", "task.log", Instant.parse("2026-01-02T03:04:05Z"), "{\"task_id\":\"t\"}");

        JsonNode page = tree(new HistoryPage("task:t", "ep", 1, true, List.of(item)));

        assertThat(page.path("epoch").asString()).isEqualTo("ep");
        assertThat(page.path("complete").asBoolean()).isTrue();
        assertThat(page.path("publications").get(0).path("data")).isEqualTo(tree("{\"task_id\":\"t\"}"));
    }

    private JsonNode tree(Object value) {
        return json.readTree(json.writeValueAsString(value));
    }

    private JsonNode tree(String value) {
        return json.readTree(value);
    }
}
