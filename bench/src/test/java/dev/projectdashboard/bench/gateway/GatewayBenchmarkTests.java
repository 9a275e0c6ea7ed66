package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.bench.deploynotifier.CpuUsage;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class GatewayBenchmarkTests {

    @Test
    void defaultsMeasureTheGoalsIntoTheReport() {
        GatewayBenchmark.Settings settings = GatewayBenchmark.parse(new String[] {"gateway"});

        assertThat(settings.quick()).isFalse();
        assertThat(settings.runs()).isEqualTo(3);
        assertThat(settings.loadFraction()).isEqualTo(0.5);
        assertThat(settings.wsClients()).isEqualTo(500);
        assertThat(settings.nginxWorkers()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(settings.report()).isEqualTo(Path.of("bench/REPORT.md"));
        // the lead's full run: bounded, and said how long in the report and the first progress line
        assertThat(settings.estimatedSeconds()).isBetween(300.0, 1200.0);
    }

    @Test
    void quickIsShortAndLeavesTheReportAlone() {
        GatewayBenchmark.Settings settings =
                GatewayBenchmark.parse(new String[] {"gateway", "--quick", "--ws-clients", "50"});

        assertThat(settings.runs()).isEqualTo(1);
        assertThat(settings.wsClients()).isEqualTo(50);
        assertThat(settings.wsRates()).containsExactly(20.0);
        assertThat(settings.report()).isNotEqualTo(Path.of("bench/REPORT.md"));
        assertThat(settings.commandLine()).isEqualTo("bench/run gateway --quick --ws-clients 50");
        assertThat(settings.estimatedSeconds()).isLessThan(240);
    }

    @Test
    void refusesWhatItCannotMeasure() {
        assertThatThrownBy(() -> GatewayBenchmark.parse(new String[] {"gateway", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> GatewayBenchmark.parse(new String[] {"gateway", "--max-seconds", "2"}))
                .hasMessageContaining("--max-seconds");
        assertThatThrownBy(() -> GatewayBenchmark.parse(new String[] {"gateway", "--load-fraction", "1.5"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayBenchmark.parse(new String[] {"gateway", "--ws-rates", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GatewayBenchmark.parse(new String[] {"gateway", "--help"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void eachRunStartsWithTheNextTarget() {
        List<String> targets = GatewayBenchmark.TARGETS;

        assertThat(GatewayBenchmark.rotated(targets, 0)).containsExactly("direct", "nginx", "gateway");
        assertThat(GatewayBenchmark.rotated(targets, 1)).containsExactly("nginx", "gateway", "direct");
        assertThat(GatewayBenchmark.rotated(targets, 5)).containsExactly("gateway", "direct", "nginx");
    }

    @Test
    void theWarmUpEndsOnceTwoSlicesInARowNoLongerBeatTheBestBeforeThem() {
        assertThat(GatewayBenchmark.settled(List.of(300.0, 700.0))).isFalse();
        // one slower slice is noise, not the end of compiling
        assertThat(GatewayBenchmark.settled(List.of(300.0, 716.0, 688.0))).isFalse();
        assertThat(GatewayBenchmark.settled(List.of(300.0, 716.0, 688.0, 1_200.0)))
                .isFalse();
        assertThat(GatewayBenchmark.settled(List.of(300.0, 2_000.0, 2_050.0, 1_990.0)))
                .isTrue();
    }

    @Test
    void nginxsMasterAndWorkersCountAsOneProcess() {
        Map<String, Double> cores = new LinkedHashMap<>();
        cores.put("nginx", 0.01);
        cores.put("nginx worker 1", 0.4);
        cores.put("nginx worker 2", 0.3);
        cores.put("gateway", 0.0);

        Map<String, Double> merged = GatewayBenchmark.merged(cores);

        assertThat(merged).containsOnlyKeys("nginx", "gateway");
        assertThat(merged.get("nginx")).isCloseTo(0.71, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void cpuPerRequestIsCoresBusyOverRequestsPerSecond() {
        Map<String, Double> cores = Map.of("gateway", 1.2, CpuUsage.REDIS, 0.1);

        // 1.2 cores at 10,000 requests/s: 0.12 ms of CPU per request
        assertThat(GatewayBenchmark.perRequestMs(cores, "gateway", 10_000)).isCloseTo(0.12, offset());
        assertThat(GatewayBenchmark.perRequestMs(cores, "nginx", 10_000)).isZero();
        assertThat(GatewayBenchmark.perRequestMs(cores, "gateway", 0)).isZero();
    }

    @Test
    void redisCommandsAreReadFromInfoStats() {
        String info = "# Stats\r\ntotal_connections_received:3\r\ntotal_commands_processed:12345\r\n";

        assertThat(GatewayBenchmark.parseTotalCommands(info)).isEqualTo(12345);
        assertThatThrownBy(() -> GatewayBenchmark.parseTotalCommands("# Stats\r\n"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theRatioGoalNeedsThreeQuartersOfNginxWithoutErrors() {
        assertThat(GatewayReport.ratioMet(wrk(7_500, 0), wrk(10_000, 0))).isTrue();
        assertThat(GatewayReport.ratioMet(wrk(7_499, 0), wrk(10_000, 0))).isFalse();
        assertThat(GatewayReport.ratioMet(wrk(9_000, 3), wrk(10_000, 0))).isFalse();
    }

    @Test
    void addedLatencyIsTheTargetsPercentileMinusDirectsAndTheGoalNeedsACleanStep() {
        // below 2,048 µs the histogram keeps every µs exactly
        PacedHttpLoad.Result direct = paced(new long[] {10, 20, 30}, 0);
        PacedHttpLoad.Result within = paced(new long[] {610, 820, 2_030}, 0);
        PacedHttpLoad.Result over = paced(new long[] {610, 820, 2_040}, 0);
        PacedHttpLoad.Result unanswered = paced(new long[] {10, 20, 30}, 1);

        assertThat(GatewayReport.addedMs(within, direct, true)).isCloseTo(2.0, offset());
        assertThat(GatewayReport.addedMs(within, direct, false)).isCloseTo(0.8, offset());
        assertThat(GatewayReport.addedMet(within, direct)).isTrue();
        assertThat(GatewayReport.addedMet(over, direct)).isFalse();
        assertThat(GatewayReport.addedMet(unanswered, direct)).isFalse();
        assertThat(GatewayReport.signedMs(-0.25)).isEqualTo("−0.25");
        assertThat(GatewayReport.signedMs(2.0)).isEqualTo("+2.0");
    }

    private static org.assertj.core.data.Offset<Double> offset() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }

    private static Wrk.Result wrk(double perSecond, long statusErrors) {
        return new Wrk.Result((long) (perSecond * 10), 10, 0, 0, 0, 0, statusErrors, 0, 1, 2, 3);
    }

    /** Three latencies in µs recorded 1, 97 and 2 times: p50 is the middle one, p99 the last. */
    private static PacedHttpLoad.Result paced(long[] micros, long unanswered) {
        Histogram latency = new Histogram(3_600_000_000L, 3);
        latency.recordValueWithCount(micros[0], 1);
        latency.recordValueWithCount(micros[1], 97);
        latency.recordValueWithCount(micros[2], 2);
        long requests = latency.getTotalCount() + unanswered;
        return new PacedHttpLoad.Result(
                1000,
                requests,
                latency.getTotalCount(),
                new TreeMap<>(),
                unanswered,
                1,
                latency,
                new Histogram(3_600_000_000L, 3),
                0,
                1,
                0);
    }
}
