package dev.projectdashboard.eventbus.payload;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code deployment.log}: source 002's {@code log_entry} notification. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentLog(
        @JsonProperty("project") String project,
        @JsonProperty("deployment_id") String deploymentId,
        @JsonProperty("log_stream_id") String logStreamId,
        @JsonProperty("timestamp") String timestamp,
        @JsonProperty("level") String level,
        @JsonProperty("message") String message,
        @JsonProperty("source") String source) {}
