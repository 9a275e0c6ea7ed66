package dev.projectdashboard.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.e2e.client.EventSocket;
import dev.projectdashboard.e2e.client.Gateway;
import dev.projectdashboard.e2e.client.Hmac;
import dev.projectdashboard.e2e.client.Ids;
import dev.projectdashboard.e2e.client.Json;
import dev.projectdashboard.e2e.client.Tasks;
import dev.projectdashboard.e2e.client.WebhookSink;
import dev.projectdashboard.e2e.suite.EndToEnd;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Flow 4: a backend publishes {@code task.completed}; push-service delivers it, rendered and signed, to the webhook an
 * administrator registered, and the task's owner sees both the completion and {@code webhook.delivered} live.
 */
@EndToEnd
class WebhookPushEndToEndTests {

    @Test
    void aCompletedTaskIsPushedToItsWebhookAndTheDeliveryReachesTheOwnersWebSocket(RunningSuite suite) {
        Gateway gateway = new Gateway(suite);
        String owner = Ids.unique("e2e-owner");
        String task = Ids.unique("e2e-task");

        try (WebhookSink sink = WebhookSink.start();
                EventSocket browser = EventSocket.open(suite, suite.userToken(owner, List.of(), List.of()))) {
            JsonNode webhook =
                    Tasks.registerWebhook(gateway, suite.adminToken("e2e-admin"), task, sink.url("/erp/hook"));
            browser.subscribe("task:" + task);

            new Tasks(gateway).completed(task, owner);

            WebhookSink.Received pushed = sink.await(r -> r.path().equals("/erp/hook"), Duration.ofSeconds(30));
            JsonNode body = Json.MAPPER.readTree(pushed.body());
            assertThat(body.path("task_id").asString()).isEqualTo(task);
            assertThat(body.path("data").path("invoice_number").asString()).isEqualTo("INV-2025-001");
            assertThat(body.path("metadata").path("page_count").asInt()).isEqualTo(3);
            assertThat(pushed.header("X-IDP-Signature"))
                    .as("source 003's signature under the secret the registration answered")
                    .isEqualTo(Hmac.signature(webhook.path("secret").asString(), pushed.body()));
            assertThat(pushed.header("webhook-id")).startsWith("msg_");

            JsonNode completed = browser.await("task:completed", f -> true);
            assertThat(completed.path("data").path("task_id").asString()).isEqualTo(task);
            assertThat(completed.path("data").path("render_time").asDouble()).isEqualTo(12.5);

            JsonNode delivered = browser.await("webhook:delivered", f -> true);
            assertThat(delivered.path("type").asString()).isEqualTo("webhook.delivered");
            assertThat(delivered.path("channel").asString()).isEqualTo("task:" + task);
            assertThat(delivered.path("data").path("task_id").asString()).isEqualTo(task);
            assertThat(delivered.path("data").path("webhook_id").asString())
                    .isEqualTo(webhook.path("id").asString());
            assertThat(delivered.path("data").path("http_status").asInt()).isEqualTo(200);
        }
    }
}
