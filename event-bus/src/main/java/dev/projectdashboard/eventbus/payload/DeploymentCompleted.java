package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * {@code deployment.completed}: source 002's {@code deployment_completed} notification; also what the legacy
 * payload without {@code type} ({@code project, status, duration, timestamp}) becomes. {@code duration} is in
 * seconds and may be fractional ({@code 12.5}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentCompleted(
        @JsonProperty("project") String project,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("status") String status,
        @JsonProperty("duration") BigDecimal duration,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("workflow_name") String workflowName,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("logs") String logs,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("completed_at") String completedAt) {}
