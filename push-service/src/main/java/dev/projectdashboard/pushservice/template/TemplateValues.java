package dev.projectdashboard.pushservice.template;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a {@link BodyTemplate} fills in for one delivery. Any value but {@code timestamp} may be {@code null} (missing):
 * it renders as {@code null} outside a JSON string and as nothing inside one.
 *
 * @param taskId {@code {{task_id}}}
 * @param resultJson {@code {{result_json}}}, the extraction result object of source 003
 * @param fileUrl {@code {{file_url}}}, a presigned URL of the task's first result file
 * @param metaInfo {@code {{meta_info}}}, the task's metadata object
 * @param eventType {@code {{event_type}}}, e.g. {@code task.completed}
 * @param eventId {@code {{event_id}}}, the event's id (the same for every retry of a delivery)
 * @param timestamp {@code {{timestamp}}}, epoch seconds, rendered as a number
 */
public record TemplateValues(
        String taskId,
        JsonNode resultJson,
        String fileUrl,
        JsonNode metaInfo,
        String eventType,
        String eventId,
        long timestamp) {

    /**
     * Values of the shape a real delivery has (source 003's example task), used to check that a template renders to
     * valid JSON before it is accepted. A new instance each call: the JSON nodes are mutable.
     */
    public static TemplateValues sample() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode result =
                nodes.objectNode().put("invoice_number", "INV-2025-001").put("amount", 1000.00);
        ObjectNode meta = nodes.objectNode()
                .put("file_name", "invoice.pdf")
                .put("page_count", 3)
                .put("rule_id", "RULE_001")
                .put("rule_version", "V1.0")
                .put("created_at", "2025-01-14T10:30:00")
                .put("completed_at", "2025-01-14T10:30:15");
        return new TemplateValues(
                "T_20251214_0001",
                result,
                "https://minio.example.com/idp-files/2025/01/14/T_20251214_0001/invoice.pdf?X-Amz-Signature=sample",
                meta,
                "task.completed",
                "0b4c7a52-1f7e-4c39-9a51-3d0f2c1e8b6a",
                1_705_219_200L);
    }
}
