package dev.projectdashboard.launcher.ops;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Command;
import dev.projectdashboard.launcher.cli.UsageException;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code logs [name] [-f] [-n N]}. */
public final class LogsCommand {

    private static final int LINES_PER_LOG = 10;
    private static final Duration FOLLOW_INTERVAL = Duration.ofMillis(250);

    private final Workspace workspace;
    private final SuiteDefinition suite;
    private final Console console;
    private final PrintStream out;

    public LogsCommand(Workspace workspace, SuiteDefinition suite, Console console, PrintStream out) {
        this.workspace = workspace;
        this.suite = suite;
        this.console = console;
        this.out = out;
    }

    public int logs(Command.Logs logs) throws IOException {
        List<String> names =
                new ArrayList<>(suite.all().stream().map(Component::name).toList());
        names.add("supervisor");
        names.add("build");
        if (logs.component().isPresent()) {
            String name = logs.component().get();
            if (!names.contains(name)) {
                throw new UsageException(
                        "No log named '" + name + "'. Choose one of: " + String.join(", ", names) + ".");
            }
            Path file = workspace.log(name);
            if (!Files.isRegularFile(file)) {
                console.error("No log for " + name + " yet (" + workspace.display(file)
                        + "); it appears once ./dashboard up starts it.");
                return 1;
            }
            if (logs.lines().isPresent()) {
                LogFiles.tail(file, logs.lines().getAsInt()).forEach(out::println);
            } else {
                try (InputStream in = Files.newInputStream(file)) {
                    in.transferTo(out);
                }
            }
            out.flush();
            if (logs.follow()) {
                LogFiles.follow(Map.of(name, file), (n, line) -> out.println(line), () -> true, FOLLOW_INTERVAL, false);
            }
            return 0;
        }

        Map<String, Path> existing = new LinkedHashMap<>();
        names.stream()
                .filter(name -> Files.isRegularFile(workspace.log(name)))
                .forEach(name -> existing.put(name, workspace.log(name)));
        if (existing.isEmpty()) {
            console.error(
                    "No logs yet in " + workspace.display(workspace.logs()) + "; start the suite with ./dashboard up.");
            return 1;
        }
        int lines = logs.lines().orElse(LINES_PER_LOG);
        int width = existing.keySet().stream().mapToInt(String::length).max().orElse(0);
        existing.forEach((name, file) -> {
            if (logs.follow()) {
                LogFiles.tail(file, lines).forEach(line -> out.println(prefix(name, width) + line));
            } else {
                out.println("==> " + name + " (" + workspace.display(file) + ") <==");
                LogFiles.tail(file, lines).forEach(out::println);
                out.println();
            }
        });
        out.flush();
        if (logs.follow()) {
            LogFiles.follow(
                    existing,
                    (name, line) -> {
                        out.println(prefix(name, width) + line);
                        out.flush();
                    },
                    () -> true,
                    FOLLOW_INTERVAL,
                    false);
        }
        return 0;
    }

    private static String prefix(String name, int width) {
        return String.format(Locale.ROOT, "%-" + width + "s | ", name);
    }
}
