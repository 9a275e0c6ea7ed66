package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/** {@code deployment.metrics}: source 002's {@code metrics_update} notification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentMetrics(
        @JsonProperty("project") String project,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("metrics") Metrics metrics) {

    /** The {@code metrics} object of source 002; {@code total_duration} is in seconds and may be fractional. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Metrics(
            @JsonProperty("total_duration") BigDecimal totalDuration,
            @JsonProperty("start_time") String startTime,
            @JsonProperty("end_time") String endTime,
            @JsonProperty("status") String status,
            @JsonProperty("steps_count") Integer stepsCount,
            @JsonProperty("successful_steps") Integer successfulSteps,
            @JsonProperty("failed_steps") Integer failedSteps) {}
}
