package dev.projectdashboard.deploynotifier.deployment;

import java.time.Instant;

/** A project and its latest deployment. */
public record ProjectSummary(
        String project,
        long deployments,
        Instant lastDeploymentAt,
        DeploymentStatus lastStatus,
        String lastDeploymentId) {}
