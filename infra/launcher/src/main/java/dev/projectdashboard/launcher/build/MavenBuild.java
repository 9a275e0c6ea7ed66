package dev.projectdashboard.launcher.build;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Durations;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the one Maven build {@code up} needs, with its output in a log file and a single progress line on
 * screen. The launcher module itself is left out: it is the jar running this code.
 */
public final class MavenBuild {

    public static final List<String> ARGUMENTS = List.of("-B", "-DskipTests", "package", "-pl", "!infra/launcher");

    private static final Pattern MODULE = Pattern.compile("^\\[INFO\\] Building (\\S+) \\S+\\s+\\[(\\d+)/(\\d+)]");
    private static final int TAIL_LINES = 40;

    private final Path root;
    private final Path log;
    private final Console console;

    public MavenBuild(Path root, Path log, Console console) {
        this.root = root;
        this.log = log;
        this.console = console;
    }

    public boolean run() throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(root.resolve("mvnw").toString());
        command.addAll(ARGUMENTS);
        Instant start = Instant.now();
        console.line(
                "Building the suite (./mvnw -B -DskipTests package -pl '!infra/launcher'); the first build takes a while…");
        Process process = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Deque<String> tail = new ArrayDeque<>();
        try (BufferedReader reader =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                PrintWriter writer = new PrintWriter(Files.newBufferedWriter(log))) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.println(line);
                if (tail.size() == TAIL_LINES) {
                    tail.removeFirst();
                }
                tail.addLast(line);
                Matcher module = MODULE.matcher(line);
                if (module.find()) {
                    console.progress("  building " + module.group(1) + " (" + module.group(2) + "/" + module.group(3)
                            + ")  " + Durations.seconds(Duration.between(start, Instant.now())));
                }
            }
        } finally {
            if (process.isAlive()) {
                process.destroy();
            }
        }
        int exit = process.waitFor();
        Duration took = Duration.between(start, Instant.now());
        if (exit == 0) {
            console.line("  built in " + Durations.seconds(took) + ".");
            return true;
        }
        console.error("The build failed (exit code " + exit + "). Last lines of " + log + ":");
        tail.forEach(l -> console.error("  " + l));
        return false;
    }
}
