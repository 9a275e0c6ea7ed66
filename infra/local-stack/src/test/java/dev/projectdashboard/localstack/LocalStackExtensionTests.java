package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * The stack outlives a JUnit run: surefire reruns a failed test in a second run of the same JVM, and the Spring
 * contexts cached by the first run still hold the stack's addresses.
 */
class LocalStackExtensionTests {

    @Test
    void aSecondJUnitRunInTheSameJvmGetsTheSameRunningStack() {
        runProbe();
        String first = Probe.redisUri;
        runProbe();

        assertThat(Probe.redisUri).isEqualTo(first);
        RedisClient client = RedisClient.create(first);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        } finally {
            client.shutdown();
        }
    }

    private static void runProbe() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Probe.class))
                .execute()
                .testEvents()
                .assertStatistics(stats -> stats.succeeded(1).failed(0));
    }

    /** Run only through the test kit (surefire skips nested classes). */
    @LocalStackTest
    static class Probe {

        static volatile String redisUri;

        @Test
        void recordsTheStack(LocalStack stack) {
            redisUri = stack.redisUri();
        }
    }
}
