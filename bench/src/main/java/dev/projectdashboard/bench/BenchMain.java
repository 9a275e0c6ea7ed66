package dev.projectdashboard.bench;

import dev.projectdashboard.bench.deploynotifier.DeployNotifierBenchmark;
import dev.projectdashboard.bench.realtime.RealtimeBenchmark;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code bench/run <benchmark> [options]}: runs one benchmark and updates its section of bench/REPORT.md. Paths are
 * relative to the repository root (bench/run changes there first).
 */
public final class BenchMain {

    private static final String USAGE =
            """
            usage: bench/run file-upload [--sizes 100MiB,1GiB] [--runs 3] [--budget-seconds 150]
                                         [--jar file-service/target/file-service-0.1.0-SNAPSHOT.jar]
                                         [--report bench/REPORT.md]
            """;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals(RealtimeBenchmark.NAME)) {
            // the local stack leaves non-daemon threads behind: end the JVM once the benchmark is done
            System.exit(RealtimeBenchmark.main(args));
        }
        if (args.length > 0 && args[0].equals(DeployNotifierBenchmark.NAME)) {
            System.exit(DeployNotifierBenchmark.main(args));
        }
        if (args.length == 0 || !args[0].equals(FileUploadBenchmark.NAME)) {
            System.err.print(USAGE);
            System.err.print(RealtimeBenchmark.USAGE);
            System.err.print(DeployNotifierBenchmark.USAGE);
            System.exit(2);
        }
        List<Long> sizes = Sizes.parseList("100MiB,1GiB");
        int runs = 3;
        long budget = 150;
        Path jar = Path.of(FileUploadBenchmark.DEFAULT_JAR);
        Path report = Path.of("bench/REPORT.md");
        for (int i = 1; i < args.length; i++) {
            String option = args[i];
            if (i + 1 >= args.length) {
                fail("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--sizes" -> sizes = Sizes.parseList(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--budget-seconds" -> budget = Long.parseLong(value);
                case "--jar" -> jar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> fail("unknown option " + option);
            }
        }
        if (runs < 1) {
            fail("--runs must be at least 1");
        }
        FileUploadBenchmark.Settings settings =
                new FileUploadBenchmark.Settings(sizes, runs, budget, jar, report, Path.of("bench/target"));
        int status = 0;
        try {
            new FileUploadBenchmark(settings).run();
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        }
        // the embedded servers leave non-daemon threads behind; the stack is closed by now, so end the JVM
        System.exit(status);
    }

    private static void fail(String message) {
        System.err.println(message);
        System.err.print(USAGE);
        System.exit(2);
    }
}
