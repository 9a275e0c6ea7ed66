package dev.projectdashboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** The checked-out commit, abbreviated, or "unknown". */
    public static String gitCommit() throws InterruptedException {
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return git.waitFor() == 0 ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** /proc/loadavg's three load averages ("1m / 5m / 15m"), or "unknown". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + " / " + fields[1] + " / " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** Whether a {@link #loadAverage()} reading shows more runnable work than 2 cores before a benchmark started. */
    public static boolean busy(String load) {
        try {
            return Double.parseDouble(load.split(" ")[0]) > 1.5;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** A jar's modification time, ISO UTC to the second ("unknown" when it is missing). */
    public static String builtAt(Path jar) {
        try {
            return utcSeconds(Files.getLastModifiedTime(jar).toInstant());
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** "- Date: {start, ISO} UTC, commit {abbreviated hash}", a section's first line, without its line end. */
    public static String dateAndCommit(Instant started) throws InterruptedException {
        return "- Date: " + utcSeconds(started) + " UTC, commit " + gitCommit();
    }

    /** "- Machine: …" ({@link #machine()}) with its line end. */
    public static String machineLine() {
        return "- Machine: " + machine() + "\n";
    }

    /** "- Command: `…`" with its line end. */
    public static String commandLine(String command) {
        return "- Command: `" + command + "`\n";
    }

    /** "- Load average (1/5/15 min) at the start: …, at the end: …", without its line end. */
    public static String loadAverages(String before, String after) {
        return "- Load average (1/5/15 min) at the start: " + before + ", at the end: " + after;
    }

    /**
     * {@link #loadAverages} followed, when the machine was {@link #busy} at the start, by a warning that the numbers
     * were taken on a busy machine; without its line end.
     */
    public static String loadAveragesWarned(String before, String after) {
        return loadAverages(before, after)
                + (busy(before)
                        ? " — **the machine was busy before the run (other work, or bench/run's own jar build)**"
                        : "");
    }

    /** "{heading}" and one list item per kind, "- kind: `first body seen`"; nothing when there are none. */
    public static String examples(String heading, Map<String, String> firstByKind) {
        if (firstByKind.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("\n").append(heading).append("\n\n");
        firstByKind.forEach((kind, body) -> out.append("- ")
                .append(kind)
                .append(": `")
                .append(oneLine(body).replace("`", "'"))
                .append("`\n"));
        return out.toString();
    }

    /** One "Note: …" paragraph per note. */
    public static String notes(List<String> notes) {
        StringBuilder out = new StringBuilder();
        notes.forEach(note -> out.append("\nNote: ").append(note).append('\n'));
        return out.toString();
    }

    /** "- {service} jar: `{path}`, built {time} UTC" ({@link #builtAt(Path)}), without its line end. */
    public static String jar(String service, Path jar) {
        return "- " + service + " jar: `" + jar + "`, built " + builtAt(jar) + " UTC";
    }

    /** Text for one line or table cell: pipes escaped, line breaks as spaces, at most 600 characters. */
    public static String oneLine(String text) {
        return abbreviate(text.replace("|", "\\|").replace("\n", " "), 600);
    }

    /** {@code text} cut to {@code max} characters, "…" marking the cut. */
    public static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static String utcSeconds(Instant instant) {
        return DateTimeFormatter.ISO_LOCAL_DATE_TIME
                .withZone(ZoneOffset.UTC)
                .format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    /** Latency in ms: two decimals below 1 ms (loopback deliveries take tens of µs), one above. */
    public static String ms(double value) {
        return String.format(Locale.ROOT, value < 1 ? "%.2f" : "%.1f", value);
    }

    /** A whole number as such, anything else with one decimal. */
    public static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
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
