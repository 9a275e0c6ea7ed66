package dev.projectdashboard.bench;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * What the {@code bench/run <benchmark> [--name value …]} entry points share: reading their options, the exit status
 * (2 with the usage for a wrong command line, 1 when the benchmark failed, 0 when it measured everything), the list
 * values their options take, and their timestamped progress lines. Each benchmark keeps its own options, defaults and
 * usage text.
 */
public final class CommandLine {

    /** The exit status for a wrong command line (after its message and the usage). */
    public static final int WRONG_USAGE = 2;

    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private CommandLine() {}

    /** A benchmark once its options are read: true when everything was measured. */
    @FunctionalInterface
    public interface Benchmark<S> {
        boolean run(S settings) throws Exception;
    }

    /** One {@code --name value} pair. */
    public record Option(String name, String value) {

        /** For the {@code default} of a switch over the names a benchmark knows. */
        public IllegalArgumentException unknown() {
            return new IllegalArgumentException("unknown option " + name);
        }
    }

    /**
     * Reads the options with {@code parse} (an {@link IllegalArgumentException} is a wrong command line: its message
     * and {@code usage} go to stderr, status 2), then runs the benchmark: status 0 when it says everything was
     * measured, 1 when not or when it threw (the stack trace goes to stderr).
     */
    public static <S> int run(String[] args, String usage, Function<String[], S> parse, Benchmark<S> benchmark) {
        S settings;
        try {
            settings = parse.apply(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(usage);
            return WRONG_USAGE;
        }
        try {
            return benchmark.run(settings) ? 0 : 1;
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    /**
     * The {@code --name value} pairs after {@code args[0]} (the benchmark's name), in order. {@code --help} or
     * {@code -h} is refused like a mistake, so that the caller prints the usage.
     */
    public static List<Option> options(String[] args) {
        List<Option> options = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException("bench/run " + args[0] + ": options");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + name);
            }
            options.add(new Option(name, args[++i]));
        }
        return options;
    }

    /** The command line as typed, for the report: {@code bench/run <benchmark> [--name value …]}. */
    public static String typed(String[] args) {
        return "bench/run " + String.join(" ", args);
    }

    /** A comma-separated list, each item trimmed, empty items dropped. */
    public static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    public static List<Integer> integers(String value) {
        return list(value).stream().map(Integer::parseInt).toList();
    }

    public static List<Double> doubles(String value) {
        return list(value).stream().map(Double::parseDouble).toList();
    }

    /** Words separated by white space, such as JVM options ({@code "-Xmx512m -XX:+UseSerialGC"}). */
    public static List<String> words(String value) {
        return Arrays.stream(value.trim().split("\\s+"))
                .filter(s -> !s.isEmpty())
                .toList();
    }

    /** A progress line on stdout: {@code HH:mm:ss [tag] message}, UTC. */
    public static void log(String tag, String message) {
        System.out.println(CLOCK.format(Instant.now()) + " [" + tag + "] " + message);
    }
}
