package dev.projectdashboard.deploynotifier.deployment;

import java.time.Duration;
import java.time.Instant;

/**
 * A project's deployments started in a window, by outcome, and the p50/p95 durations (seconds) of the decided ones
 * (succeeded, failed or cancelled).
 */
public record ProjectStatistics(
        String project,
        Duration window,
        Instant since,
        long count,
        long succeeded,
        long failed,
        long cancelled,
        long skipped,
        long running,
        Double p50Duration,
        Double p95Duration) {

    /**
     * Succeeded / (succeeded + failed + cancelled): skipped runs finished without an outcome and running ones have none
     * yet, so neither is rated; {@code null} when nothing is decided.
     */
    public Double successRate() {
        long decided = succeeded + failed + cancelled;
        return decided == 0 ? null : (double) succeeded / decided;
    }
}
