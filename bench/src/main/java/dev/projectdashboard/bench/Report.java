package dev.projectdashboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * bench/REPORT.md: one section per benchmark between {@code <!-- begin NAME -->} and {@code <!-- end NAME -->}, so a
 * re-run replaces its own section and leaves the others alone.
 */
public final class Report {

    private static final String HEADER = "# Benchmark report\n\n"
            + "Written by `bench/run <benchmark>`; each section is replaced when its benchmark runs again.\n";

    private Report() {}

    public static void writeSection(Path file, String name, String body) throws IOException {
        String existing = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : HEADER;
        String begin = "<!-- begin " + name + " -->";
        String end = "<!-- end " + name + " -->";
        String section = begin + "\n" + body.strip() + "\n" + end;
        int from = existing.indexOf(begin);
        int to = existing.indexOf(end);
        String updated;
        if (from >= 0 && to > from) {
            updated = existing.substring(0, from) + section + existing.substring(to + end.length());
        } else {
            updated = existing.stripTrailing() + "\n\n" + section + "\n";
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, updated, StandardCharsets.UTF_8);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** nproc, memory, CPU and JDK of this machine, one line. */
    public static String machine() {
        String cpu = "unknown CPU";
        long memoryKib = 0;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    cpu = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryKib = Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the report says what it could find
        }
        return String.format(
                Locale.ROOT,
                "nproc %d, %.1f GiB RAM, %s, JDK %s (%s)",
                Runtime.getRuntime().availableProcessors(),
                memoryKib / (1024.0 * 1024.0),
                cpu,
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.name"));
    }

    public static String table(List<String> header, List<List<String>> rows) {
        StringBuilder out = new StringBuilder();
        out.append("| ").append(String.join(" | ", header)).append(" |\n");
        out.append("|").append("---|".repeat(header.size())).append('\n');
        for (List<String> row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
