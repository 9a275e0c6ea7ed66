package dev.projectdashboard.deploynotifier.deployment;

import java.math.BigDecimal;
import java.time.Instant;

/** One step of a deployment as its notifications left it (a {@link Notification.Step} is one such notification). */
public record Step(
        String stepName, StepStatus status, Instant startedAt, Instant completedAt, BigDecimal duration, String logs) {}
