package dev.projectdashboard.deploynotifier.deployment;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment's state. The deployment webhook sends {@code success} (docs/contracts.md, "Deployments"); CI tools and GitHub use a few more words for the same
 * outcomes ({@code failure}, {@code timed_out}, {@code canceled} …), which are folded onto these.
 */
public enum DeploymentStatus {
    RUNNING,
    SUCCESS,
    FAILED,
    CANCELLED,
    /** Skipped or neutral: finished without an outcome; left out of the success rate. */
    SKIPPED;

    private static final Map<String, DeploymentStatus> WORDS = Map.ofEntries(
            Map.entry("running", RUNNING),
            Map.entry("in_progress", RUNNING),
            Map.entry("pending", RUNNING),
            Map.entry("queued", RUNNING),
            Map.entry("success", SUCCESS),
            Map.entry("succeeded", SUCCESS),
            Map.entry("successful", SUCCESS),
            Map.entry("completed", SUCCESS),
            Map.entry("failed", FAILED),
            Map.entry("failure", FAILED),
            Map.entry("error", FAILED),
            Map.entry("timed_out", FAILED),
            Map.entry("startup_failure", FAILED),
            Map.entry("cancelled", CANCELLED),
            Map.entry("canceled", CANCELLED),
            Map.entry("skipped", SKIPPED),
            Map.entry("neutral", SKIPPED));

    /** The status a word stands for, case-insensitively; empty for an unknown word. */
    public static Optional<DeploymentStatus> of(String word) {
        return word == null
                ? Optional.empty()
                : Optional.ofNullable(WORDS.get(word.trim().toLowerCase(Locale.ROOT)));
    }

    /** The word stored and published ({@code success}, {@code failed} …). */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean finished() {
        return this != RUNNING;
    }
}
