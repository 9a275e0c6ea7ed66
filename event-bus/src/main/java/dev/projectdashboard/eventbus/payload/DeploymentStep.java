package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.math.BigDecimal;

/**
 * {@code deployment.step_started}, {@code deployment.step_completed} and {@code deployment.step_failed}: source
 * 002's step notification (one shape, the event type tells which). {@code timestamp} stays the producer's string;
 * {@code duration} is in seconds and may be fractional ({@code 12.5}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentStep(
        @JsonProperty("project") String project,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("step_name") String stepName,
        @JsonProperty("step_status") String stepStatus,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("workflow_name") String workflowName,
        @JsonProperty("workflow_id") String workflowId,
        @JsonProperty("logs") String logs,
        @JsonProperty("duration") BigDecimal duration) {}
