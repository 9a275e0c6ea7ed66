package dev.projectdashboard.deploynotifier.ingest;

import dev.projectdashboard.starter.problem.FieldViolation;
import java.util.List;

/** What became of a webhook that was authenticated and valid. */
public sealed interface Receipt {

    /**
     * Stored (or, {@code duplicate}, stored before: then the first delivery's fields, whatever the repeat's body said),
     * with the number of events it produced and the GitHub texts that were stored changed.
     */
    record Accepted(
            String id,
            String type,
            String project,
            String deploymentId,
            boolean duplicate,
            int events,
            List<FieldViolation> sanitized)
            implements Receipt {}

    /** Acknowledged without storing anything: a ping ({@code ignored} false) or an event of no interest. */
    record Ignored(String event, boolean ignored, String reason) implements Receipt {}
}
