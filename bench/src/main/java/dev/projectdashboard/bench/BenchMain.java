package dev.projectdashboard.bench;

import dev.projectdashboard.bench.deploynotifier.DeployNotifierBenchmark;
import dev.projectdashboard.bench.devicebridge.CameraSmoke;
import dev.projectdashboard.bench.devicebridge.DeviceBridgeBenchmark;
import dev.projectdashboard.bench.gateway.GatewayBenchmark;
import dev.projectdashboard.bench.pushservice.PushServiceBenchmark;
import dev.projectdashboard.bench.realtime.RealtimeBenchmark;

/**
 * {@code bench/run <benchmark> [options]}: runs one benchmark and updates its section of bench/REPORT.md. Paths are
 * relative to the repository root (bench/run changes there first).
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) {
        String benchmark = args.length > 0 ? args[0] : "";
        int status =
                switch (benchmark) {
                    case FileUploadBenchmark.NAME -> FileUploadBenchmark.main(args);
                    case RealtimeBenchmark.NAME -> RealtimeBenchmark.main(args);
                    case DeployNotifierBenchmark.NAME -> DeployNotifierBenchmark.main(args);
                    case DeviceBridgeBenchmark.NAME -> DeviceBridgeBenchmark.main(args);
                    case PushServiceBenchmark.NAME -> PushServiceBenchmark.main(args);
                    case GatewayBenchmark.NAME -> GatewayBenchmark.main(args);
                    case CameraSmoke.NAME -> CameraSmoke.main(args);
                    default -> usage();
                };
        // the local stack and the embedded servers leave non-daemon threads behind: end the JVM once the benchmark
        // is done (the stack is closed by then)
        System.exit(status);
    }

    private static int usage() {
        System.err.print(FileUploadBenchmark.USAGE);
        System.err.print(RealtimeBenchmark.USAGE);
        System.err.print(DeployNotifierBenchmark.USAGE);
        System.err.print(DeviceBridgeBenchmark.USAGE);
        System.err.print(PushServiceBenchmark.USAGE);
        System.err.print(GatewayBenchmark.USAGE);
        System.err.print(CameraSmoke.USAGE);
        return CommandLine.WRONG_USAGE;
    }
}
