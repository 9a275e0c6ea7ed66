package dev.projectdashboard.bench.deploynotifier;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Where the machine's cores went during a step: CPU time of this JVM, of the measured services, of the local stack's
 * PostgreSQL and Redis processes, and of every other process, from {@code /proc/<pid>/stat} (Linux; elsewhere every
 * reading is 0). The total is the sum over all processes rather than {@code /proc/stat}, whose busy time disagreed
 * with the processes' own in this VM (less than their sum in one step), so the columns add up.
 */
public final class CpuUsage {

    public static final String BENCH = "bench JVM";
    public static final String POSTGRES = "PostgreSQL";
    public static final String REDIS = "Redis";
    public static final String OTHER = "other processes";
    public static final String MACHINE = "all processes";

    /** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every mainstream architecture. */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU ticks (utime + stime) of every process at one moment, and the group of those the bench names. */
    public record Snapshot(long nanos, Map<Long, Long> ticks, Map<Long, String> groups) {}

    private final Map<String, Long> watched = new LinkedHashMap<>();
    private final String stackDir;

    /** @param stackDir the local stack's directory: its PostgreSQL server names it on its command line */
    public CpuUsage(Path stackDir) {
        this.stackDir = stackDir.toAbsolutePath().toString();
        watched.put(BENCH, ProcessHandle.current().pid());
    }

    public void watch(String name, long pid) {
        watched.put(name, pid);
    }

    /** The groups a report lists, in order: this JVM, the services, PostgreSQL, Redis, the rest, the total. */
    public List<String> groups() {
        return Stream.concat(watched.keySet().stream(), Stream.of(POSTGRES, REDIS, OTHER, MACHINE))
                .toList();
    }

    public Snapshot snapshot() {
        List<Long> all = processes();
        Map<Long, String> groups = new HashMap<>();
        watched.forEach((name, pid) -> groups.put(pid, name));
        for (long pid : stackProcesses(all)) {
            String command = command(pid);
            if (command.equals("postgres")) {
                groups.putIfAbsent(pid, POSTGRES);
            } else if (command.startsWith("redis-server")) {
                groups.putIfAbsent(pid, REDIS);
            }
        }
        Map<Long, Long> ticks = new HashMap<>();
        for (long pid : all) {
            long value = ticks(pid);
            if (value >= 0) {
                ticks.put(pid, value);
            }
        }
        return new Snapshot(System.nanoTime(), ticks, groups);
    }

    /** Cores used per group between two snapshots (1.0 = one core busy all the time). */
    public static Map<String, Double> cores(Snapshot from, Snapshot to, List<String> groups) {
        double seconds = Math.max(1e-9, (to.nanos() - from.nanos()) / 1e9);
        Map<String, Double> cores = new LinkedHashMap<>();
        groups.forEach(group -> cores.put(group, 0.0));
        cores.put(OTHER, 0.0);
        double total = 0;
        for (Map.Entry<Long, Long> entry : to.ticks().entrySet()) {
            // a process that started during the step (a new PostgreSQL backend) counts from 0
            long delta = entry.getValue() - from.ticks().getOrDefault(entry.getKey(), 0L);
            double used = Math.max(0, delta) / TICKS_PER_SECOND / seconds;
            cores.merge(to.groups().getOrDefault(entry.getKey(), OTHER), used, Double::sum);
            total += used;
        }
        cores.put(MACHINE, total);
        return cores;
    }

    private static List<Long> processes() {
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            return entries.map(path -> path.getFileName().toString())
                    .filter(name -> !name.isEmpty() && name.chars().allMatch(Character::isDigit))
                    .map(Long::parseLong)
                    .toList();
        } catch (IOException | RuntimeException e) {
            return List.of(); // no /proc: nothing to attribute
        }
    }

    /**
     * This JVM's descendants (Redis, PostgreSQL when it is not detached) and any process naming the stack's directory
     * on its command line (a detached PostgreSQL server), with their descendants (its backends).
     */
    private Set<Long> stackProcesses(List<Long> all) {
        Set<Long> pids = new HashSet<>();
        ProcessHandle.current().descendants().forEach(handle -> pids.add(handle.pid()));
        all.stream()
                .filter(pid -> !pids.contains(pid) && commandLine(pid).contains(stackDir))
                .toList()
                .forEach(pid -> {
                    pids.add(pid);
                    ProcessHandle.of(pid)
                            .ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
                });
        return pids;
    }

    /** utime + stime of one process in ticks, -1 when it is gone. */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The process's name as the kernel knows it ({@code comm}), "" when it is gone. */
    private static String command(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm"))
                    .trim();
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static String commandLine(long pid) {
        try {
            return new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
