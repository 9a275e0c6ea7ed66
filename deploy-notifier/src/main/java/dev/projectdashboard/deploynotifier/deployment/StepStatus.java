package dev.projectdashboard.deploynotifier.deployment;

import java.util.Locale;
import java.util.Optional;

/** A step's state, exactly the {@code step_status} values of the deployment webhook (docs/contracts.md). */
public enum StepStatus {
    STARTED,
    RUNNING,
    COMPLETED,
    FAILED,
    RETRYING;

    public static Optional<StepStatus> of(String word) {
        if (word == null) {
            return Optional.empty();
        }
        for (StepStatus status : values()) {
            if (status.word().equals(word.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Completed or failed: the step has ended (a retrying step has not). */
    public boolean ended() {
        return this == COMPLETED || this == FAILED;
    }
}
