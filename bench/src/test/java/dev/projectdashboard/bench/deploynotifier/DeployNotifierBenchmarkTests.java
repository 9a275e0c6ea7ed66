package dev.projectdashboard.bench.deploynotifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeployNotifierBenchmarkTests {

    @Test
    void defaultsMeasureTheStepsOfTheGoal() {
        DeployNotifierBenchmark.Settings settings = DeployNotifierBenchmark.parse(new String[] {"deploy-notifier"});

        assertThat(settings.concurrency()).containsExactly(1, 8, 32);
        assertThat(settings.rates()).containsExactly(250.0, 1000.0, 2000.0);
        assertThat(settings.rateSeconds()).isEqualTo(15);
        assertThat(settings.ingestSeconds()).isEqualTo(10);
        assertThat(settings.warmUpSeconds()).isEqualTo(3);
    }

    @Test
    void parsesListsAndJvmOptions() {
        DeployNotifierBenchmark.Settings settings = DeployNotifierBenchmark.parse(new String[] {
            "deploy-notifier", "--concurrency", "2, 4", "--rates", "500", "--notifier-jvm", "-Xmx128m -XX:+UseSerialGC"
        });

        assertThat(settings.concurrency()).containsExactly(2, 4);
        assertThat(settings.rates()).containsExactly(500.0);
        assertThat(settings.notifierJvm()).containsExactly("-Xmx128m", "-XX:+UseSerialGC");
    }

    @Test
    void refusesUnknownOptionsAndNonPositiveCounts() {
        assertThatThrownBy(() -> DeployNotifierBenchmark.parse(new String[] {"deploy-notifier", "--bogus", "1"}))
                .hasMessageContaining("--bogus");
        assertThatThrownBy(() -> DeployNotifierBenchmark.parse(new String[] {"deploy-notifier", "--ws-clients", "0"}))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
