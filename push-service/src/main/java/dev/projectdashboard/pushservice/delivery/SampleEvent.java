package dev.projectdashboard.pushservice.delivery;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code task.completed} a test send delivers: source 003's own example task. */
final class SampleEvent {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String DATA =
            """
            {"user_id": "sample-user", "task_id": "T_TEST_0001", "result_files": [],
             "result_json": {"invoice_number": "INV-2025-001", "amount": 1000.00},
             "meta_info": {"file_name": "invoice.pdf", "page_count": 3, "rule_id": "RULE_001",
                           "rule_version": "V1.0", "created_at": "2025-01-14T10:30:00",
                           "completed_at": "2025-01-14T10:30:15",
                           "confidence_scores": {"invoice_number": 95, "amount": 88},
                           "llm_token_count": 1500, "llm_cost": 3.0}}
            """;

    private SampleEvent() {}

    static JsonNode data() {
        return JSON.readTree(DATA);
    }
}
