package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code deployment.completed}: source 002's {@code deployment_completed} notification; also what the legacy
 * payload without {@code type} ({@code project, status, duration, timestamp}) becomes.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentCompleted(
        @JsonProperty("project") String project,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("status") String status,
        @JsonProperty("duration") Long duration,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("workflow_name") String workflowName,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("logs") String logs,
        @JsonProperty("started_at") String startedAt,
        @JsonProperty("completed_at") String completedAt) {}
