package dev.projectdashboard.e2e.client;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A render backend reporting its tasks as source 000's producers do: {@code task.*} events through realtime-service's
 * server publish API ({@code POST /project-dashboard/api/v1/realtime/publish} with {@code X-Api-Key}), which appends
 * them to {@code events:tasks} for every consumer (realtime fan-out, push-service).
 */
public final class Tasks {

    private final Gateway gateway;

    public Tasks(Gateway gateway) {
        this.gateway = gateway;
    }

    public void progress(String taskId, String userId, int progress) {
        publish(
                taskId,
                "task.progress",
                data(taskId, userId)
                        .put("progress", progress)
                        .put("current_frame", progress)
                        .put("total_frames", 100)
                        .put("message", "rendering"));
    }

    /** {@code task.completed} with source 000's fields and source 003's template inputs. */
    public void completed(String taskId, String userId) {
        ObjectNode data = data(taskId, userId).put("render_time", 12.5).put("cost", 0.2);
        data.putArray("result_files");
        data.putObject("result_json").put("invoice_number", "INV-2025-001").put("amount", 1000.0);
        data.putObject("meta_info").put("file_name", "invoice.pdf").put("page_count", 3);
        publish(taskId, "task.completed", data);
    }

    private void publish(String taskId, String type, ObjectNode data) {
        ObjectNode event = Json.object().put("channel", "task:" + taskId).put("type", type);
        event.set("data", data);
        Gateway.Answer published = gateway.postAsBackend("/api/v1/realtime/publish", event);
        assertThat(published.status()).as("publish %s: %s", type, published).isEqualTo(200);
        assertThat(published.body().path("stream").asString()).isEqualTo("events:tasks");
    }

    private static ObjectNode data(String taskId, String userId) {
        return Json.object().put("task_id", taskId).put("user_id", userId);
    }

    /** A webhook for this task's completion, registered as an administrator does; the answer holds its secret. */
    public static JsonNode registerWebhook(Gateway gateway, String adminToken, String taskId, String url) {
        ObjectNode registration = Json.object()
                .put("name", "e2e " + taskId)
                .put("url", url)
                .put("subject_prefix", "task:" + taskId)
                .put(
                        "body_template",
                        "{\"task_id\": \"{{task_id}}\", \"data\": {{result_json}}, \"metadata\": {{meta_info}}}");
        registration.putArray("event_types").add("task.completed");
        Gateway.Answer created = gateway.post("/api/v1/webhooks", adminToken, registration);
        assertThat(created.status()).as("webhook registration: %s", created).isEqualTo(201);
        return created.body();
    }
}
