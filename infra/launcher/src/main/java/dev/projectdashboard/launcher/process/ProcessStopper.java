package dev.projectdashboard.launcher.process;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Stops processes the polite way first: SIGTERM, a grace period, then SIGKILL for whoever is left. */
public final class ProcessStopper {

    private static final Duration AFTER_KILL = Duration.ofSeconds(5);
    private static final Duration POLL = Duration.ofMillis(50);

    private ProcessStopper() {}

    /**
     * Stops all of them together and waits until they are gone.
     *
     * @return the processes that ignored SIGTERM for {@code grace} and had to be killed
     */
    public static List<ProcessHandle> stopAll(Collection<ProcessHandle> processes, Duration grace) {
        List<ProcessHandle> alive =
                processes.stream().filter(Liveness::isRunning).toList();
        alive.forEach(ProcessHandle::destroy);
        awaitExit(alive, grace);
        List<ProcessHandle> stubborn =
                alive.stream().filter(Liveness::isRunning).toList();
        stubborn.forEach(ProcessHandle::destroyForcibly);
        awaitExit(stubborn, AFTER_KILL);
        return new ArrayList<>(stubborn);
    }

    /**
     * Polls rather than using {@code onExit()}: for processes that are not our children (after a restart of
     * the launcher, or daemons like PostgreSQL) the JDK notices an exit only seconds late.
     */
    public static boolean awaitExit(Collection<ProcessHandle> processes, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (processes.stream().anyMatch(Liveness::isRunning)) {
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
