package dev.projectdashboard.launcher.process;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A process we started, by pid and start time: a pid alone may belong to someone else by the time
 * {@code down} runs, and killing a stranger is the one mistake a launcher must not make.
 */
public record ProcessRef(long pid, Optional<Instant> start) {

    private static final Duration START_TOLERANCE = Duration.ofSeconds(2);

    public static ProcessRef of(ProcessHandle handle) {
        return new ProcessRef(handle.pid(), handle.info().startInstant());
    }

    /** The live process this refers to, if it still runs and is still the same process. */
    public Optional<ProcessHandle> live() {
        return ProcessHandle.of(pid).filter(Liveness::isRunning).filter(this::sameStart);
    }

    public boolean isAlive() {
        return live().isPresent();
    }

    private boolean sameStart(ProcessHandle handle) {
        if (start.isEmpty()) {
            return true;
        }
        return handle.info()
                .startInstant()
                .map(actual -> Duration.between(start.get(), actual).abs().compareTo(START_TOLERANCE) <= 0)
                .orElse(true);
    }
}
