package dev.projectdashboard.launcher.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a process still runs. A zombie does not: in containers whose init reaps orphans late (or never),
 * a stopped daemon can linger as a zombie that {@link ProcessHandle#isAlive()} still reports as alive.
 */
public final class Liveness {

    private Liveness() {}

    public static boolean isRunning(ProcessHandle process) {
        return process.isAlive() && !isZombie(process.pid());
    }

    static boolean isZombie(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        try {
            String text = Files.readString(stat);
            // "pid (command) S ...": the command may contain spaces and parentheses, the state follows the last ')'
            int end = text.lastIndexOf(')');
            return end > 0 && end + 2 < text.length() && text.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false; // no /proc (macOS) or already gone: isAlive() decides
        }
    }
}
