package dev.projectdashboard.deploynotifier.deployment;

import java.math.BigDecimal;
import java.time.Instant;

/** A deployment as its notifications left it; {@code duration} is seconds ({@link Durations}), null while unknown. */
public record Deployment(
        String project,
        String deploymentId,
        String workflowName,
        String workflowId,
        DeploymentStatus status,
        Instant startedAt,
        Instant completedAt,
        BigDecimal duration,
        String logs,
        String htmlUrl,
        Instant updatedAt) {}
