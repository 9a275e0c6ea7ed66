package dev.projectdashboard.launcher.process;

import java.nio.file.Path;
import java.util.List;

/**
 * Finds processes that outlived their parent but belong to this checkout's run. PostgreSQL is the reason:
 * pg_ctl daemonises the postmaster, so it is no descendant of local-stack; what ties it to us is its data
 * directory under {@code .dashboard/local-stack}, which is on its command line ({@code postgres -D <dir>}).
 */
public final class Leftovers {

    private static final List<String> SERVERS = List.of("postgres", "postmaster", "pg_ctl", "redis-server");

    private Leftovers() {}

    public static List<ProcessHandle> referencing(Path directory) {
        String marker = directory.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(p -> p.pid() != self)
                .filter(Liveness::isRunning)
                .filter(Leftovers::isServer)
                .filter(p -> p.info()
                                .commandLine()
                                .map(line -> line.contains(marker))
                                .orElse(false)
                        || p.info()
                                .arguments()
                                .map(args -> containsMarker(args, marker))
                                .orElse(false))
                .toList();
    }

    /** Only server binaries: an editor or a {@code tail} with a path into our folder is the user's business. */
    private static boolean isServer(ProcessHandle process) {
        String name = process.info()
                .command()
                .map(c -> Path.of(c).getFileName().toString())
                .orElse("");
        return SERVERS.stream().anyMatch(name::startsWith);
    }

    /** A short label for messages: {@code postgres (pid 1234)}. */
    public static String describe(ProcessHandle process) {
        String command = process.info()
                .command()
                .map(c -> Path.of(c).getFileName().toString())
                .orElse("process");
        return command + " (pid " + process.pid() + ")";
    }

    private static boolean containsMarker(String[] args, String marker) {
        for (String arg : args) {
            if (arg.contains(marker)) {
                return true;
            }
        }
        return false;
    }
}
