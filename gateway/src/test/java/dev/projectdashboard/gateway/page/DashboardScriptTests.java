package dev.projectdashboard.gateway.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Runs the page's JavaScript tests ({@code src/test/js/*.test.mjs}: the realtime client's reconnect and recovery
 * bookkeeping, the event reducers, formatting, the chart geometry) with node's built-in test runner, so that
 * {@code ./mvnw verify} runs them like every other test. They need node 20 or newer on the PATH, as
 * realtime-service's Socket.IO tests do; no npm packages.
 */
class DashboardScriptTests {

    private static final Path TESTS = Path.of("src", "test", "js");
    private static final long TIMEOUT_SECONDS = 120;

    @Test
    void pageModulesPassTheirNodeTests() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", "--test", "--test-reporter=spec"));
        try (Stream<Path> files = Files.list(TESTS)) {
            files.filter(file -> file.getFileName().toString().endsWith(".test.mjs"))
                    .sorted()
                    .forEach(file -> command.add(file.toString()));
        }
        assertThat(command).as("test files in %s", TESTS.toAbsolutePath()).hasSizeGreaterThan(3);
        Path output = Files.createTempFile("dashboard-node-tests", ".txt");
        Process node;
        try {
            node = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
        } catch (IOException e) {
            fail("the page's JavaScript tests need node (20 or newer) on the PATH: " + e.getMessage());
            return;
        }
        node.getOutputStream().close();
        boolean finished = node.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        String report = Files.readString(output, StandardCharsets.UTF_8);
        Files.delete(output);
        if (!finished) {
            node.destroyForcibly();
            fail("node --test took longer than " + TIMEOUT_SECONDS + " s; its report so far:" + System.lineSeparator()
                    + report);
        }
        assertThat(node.exitValue())
                .as("node --test exit status; its report:%n%s", report)
                .isZero();
        assertThat(report).contains("fail 0");
    }
}
