package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * {@code task.completed}: source 000's {@code task:completed} fields plus the owner, and, where the producer has
 * them, source 003's template inputs {@code result_json} and {@code meta_info} (free-form JSON objects).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskCompleted(
        @JsonProperty("user_id") String userId,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("result_files") List<String> resultFiles,
        @JsonProperty("render_time") Double renderTime,
        @JsonProperty("cost") Double cost,
        @JsonProperty("result_json") JsonNode resultJson,
        @JsonProperty("meta_info") JsonNode metaInfo) {

    public TaskCompleted {
        resultFiles = resultFiles == null ? List.of() : List.copyOf(resultFiles);
    }
}
