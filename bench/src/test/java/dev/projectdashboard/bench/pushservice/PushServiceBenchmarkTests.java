package dev.projectdashboard.bench.pushservice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PushServiceBenchmarkTests {

    @Test
    void defaultsMeasureTheGoalsIntoTheReport() {
        PushServiceBenchmark.Settings settings = PushServiceBenchmark.parse(new String[] {"push-service"});

        assertThat(settings.compareRate() * settings.sinks())
                .as("the goal's 1,000 deliveries/s")
                .isEqualTo(1000);
        assertThat(settings.rates()).containsExactly(250.0, 500.0, 750.0);
        assertThat(settings.runs()).isEqualTo(3);
        assertThat(settings.deadTimeout()).isEqualTo(2);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.sinkServer()).isEqualTo(Sinks.Server.NETTY);
        assertThat(settings.report()).isEqualTo(Path.of("bench/REPORT.md"));
    }

    @Test
    void quickIsShortAndLeavesTheReportAlone() {
        PushServiceBenchmark.Settings settings =
                PushServiceBenchmark.parse(new String[] {"push-service", "--quick", "--sink-server", "jdk"});

        assertThat(settings.runs()).isEqualTo(1);
        assertThat(settings.rates()).containsExactly(250.0);
        assertThat(settings.sinkServer()).isEqualTo(Sinks.Server.JDK);
        assertThat(settings.report()).isNotEqualTo(Path.of("bench/REPORT.md"));
        assertThat(settings.commandLine()).isEqualTo("bench/run push-service --quick --sink-server jdk");
    }

    @Test
    void theCompareRateIsAlwaysOneOfThePacedRates() {
        PushServiceBenchmark.Settings settings = PushServiceBenchmark.parse(
                new String[] {"push-service", "--rates", "1000, 125", "--compare-rate", "300"});

        assertThat(settings.rates()).containsExactly(125.0, 300.0, 1000.0);
    }

    @Test
    void refusesWhatItCannotMeasure() {
        assertThatThrownBy(() -> PushServiceBenchmark.parse(new String[] {"push-service", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> PushServiceBenchmark.parse(new String[] {"push-service", "--rates", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushServiceBenchmark.parse(new String[] {"push-service", "--dead-timeout", "61"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushServiceBenchmark.parse(
                        new String[] {"push-service", "--timeout-seconds", "30", "--drain-seconds", "10"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PushServiceBenchmark.parse(new String[] {"push-service", "--help"}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void logKindsCollapseRepeatsOfOneMessageAndNameTheException() {
        List<String> log = List.of(
                "2026-12-07T15:40:30.001Z  INFO 13899 --- [push-service] [main] o.s.Started : Started",
                "2026-12-07T15:40:38.073Z  WARN 13899 --- [push-service] [or-http-epoll-1]"
                        + " r.netty.http.client.HttpClientConnect    : [c6fde5c1-1, L:/127.0.0.1:53774 -"
                        + " R:127.0.0.1/127.0.0.1:45979] The connection observed an error",
                "",
                "io.netty.handler.timeout.ReadTimeoutException",
                "",
                "2026-12-07T15:40:38.078Z  WARN 13899 --- [push-service] [or-http-epoll-2]"
                        + " r.netty.http.client.HttpClientConnect    : [5bb24934-1, L:/127.0.0.1:53782 -"
                        + " R:127.0.0.1/127.0.0.1:45979] The connection observed an error",
                "",
                "io.netty.handler.timeout.ReadTimeoutException",
                "2026-12-07T15:40:39.000Z  WARN 13899 --- [push-service] [parallel-1] o.p.d.DeliveryAttempts"
                        + " : Delivery 0b4c7a52-1f7e-4c39-9a51-3d0f2c1e8b6a was taken over by another replica",
                "2026-12-07T15:41:15.342Z  INFO 13899 --- [push-service] [ionShutdownHook] GracefulShutdown :"
                        + " Commencing graceful shutdown. Waiting for active requests to complete",
                "2026-12-07T15:41:17.369Z  WARN 13899 --- [push-service] [ionShutdownHook] RedisChannelHandler"
                        + " : Connection is already closed");

        Map<String, Long> kinds = PushServiceBenchmark.logKinds(log);

        assertThat(kinds)
                .containsExactly(
                        Map.entry(
                                "WARN r.netty.http.client.HttpClientConnect : [N] The connection observed an error"
                                        + " (io.netty.handler.timeout.ReadTimeoutException)",
                                2L),
                        Map.entry("WARN o.p.d.DeliveryAttempts : Delivery N was taken over by another replica", 1L));
    }

    @Test
    void spreadsAreMinMedianMax() {
        assertThat(PushServiceBenchmark.spreadOf(new double[] {3, 1, 2}, "p99", " ms"))
                .isEqualTo("- p99: 1.0 / 2.0 / 3.0 ms%n".formatted());
        assertThat(PushServiceBenchmark.spreadOf(new double[] {2500, 0.5}, "rate", ""))
                .isEqualTo("- rate: 0.50 / 2,500 / 2,500%n".formatted());
        assertThat(PushServiceBenchmark.spreadOf(new double[0], "none", "")).isEmpty();
        assertThat(PushServiceBenchmark.medianOf(new double[] {5, 1, 3})).isEqualTo(3);
    }
}
