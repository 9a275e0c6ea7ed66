package dev.projectdashboard.bench.devicebridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DeviceBridgeBenchmarkTests {

    @Test
    void defaultsMeasureTheGoalsLoadIntoTheReport() {
        DeviceBridgeBenchmark.Settings settings = DeviceBridgeBenchmark.parse(new String[] {"device-bridge"});

        assertThat(settings.devices()).containsExactly(50, 100, 250, 1000);
        assertThat(settings.runs()).isEqualTo(3);
        assertThat(settings.timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(settings.report()).isEqualTo(Path.of("bench/REPORT.md"));
    }

    @Test
    void quickIsSmallerAndLeavesTheReportAlone() {
        DeviceBridgeBenchmark.Settings settings =
                DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--quick", "--seconds", "5"});

        assertThat(settings.devices()).containsExactly(50);
        assertThat(settings.runs()).isEqualTo(1);
        assertThat(settings.seconds()).isEqualTo(5);
        assertThat(settings.report()).isNotEqualTo(Path.of("bench/REPORT.md"));
        assertThat(settings.commandLine()).isEqualTo("bench/run device-bridge --quick --seconds 5");
    }

    @Test
    void refusesUnknownOptionsAndDeviceCountsItCannotName() {
        assertThatThrownBy(() -> DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--devices", "10000"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--runs", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--devices", "1000, 20"})
                        .devices())
                .containsExactly(20, 1000);
        assertThatThrownBy(() -> DeviceBridgeBenchmark.parse(new String[] {"device-bridge", "--devices", ""}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
