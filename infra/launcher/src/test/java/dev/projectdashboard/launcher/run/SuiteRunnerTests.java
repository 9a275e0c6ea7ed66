package dev.projectdashboard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.fake.FakePrograms;
import dev.projectdashboard.launcher.process.Leftovers;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.LaunchCommands;
import dev.projectdashboard.launcher.suite.StackPorts;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole start/stop cycle against fake programs: real processes, real HTTP, no real suite. */
class SuiteRunnerTests {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private Workspace workspace;
    private SuiteDefinition suite;
    private SuiteRunner runner;

    @BeforeEach
    void fakeSuite() {
        workspace = new Workspace(root);
        Component stack = new Component(
                "local-stack", Component.Kind.LOCAL_STACK, 0, root.resolve("stack.jar"), List.of(), List.of());
        suite = new SuiteDefinition(
                stack,
                List.of(service("gateway"), service("file-service")),
                new StackPorts(
                        FakePrograms.freePort(),
                        FakePrograms.freePort(),
                        FakePrograms.freePort(),
                        FakePrograms.freePort()));
    }

    @AfterEach
    void stopWhatIsLeft() {
        if (runner != null) {
            runner.stop();
            assertThat(runner.processes()).noneMatch(ProcessHandle::isAlive);
        }
    }

    @Test
    void startsStackThenServicesAndStopsEverything() throws Exception {
        Path postgres = fakePostgres();
        runner = runner(
                FakePrograms.commands(Map.of()), Map.of("FAKE_POSTGRES", postgres.toString()), Duration.ofSeconds(60));

        assertThat(runner.start()).as(err.toString()).isTrue();
        runner.markReady();

        assertThat(runner.processes()).hasSize(3).allMatch(ProcessHandle::isAlive);
        assertThat(Leftovers.referencing(workspace.localStackDir())).hasSize(1);
        SuiteState state = new StateStore(workspace.stateFile()).read().orElseThrow();
        assertThat(state.status()).isEqualTo(SuiteState.Status.READY);
        assertThat(state.supervisor().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(state.components())
                .extracting(SuiteState.ComponentProcess::name)
                .containsExactly("local-stack", "gateway", "file-service");
        assertThat(output())
                .contains("Starting local-stack")
                .containsPattern("gateway +:\\d+ +ready in \\d+\\.\\d s +\\.dashboard/logs/gateway\\.log");
        // services got local-stack's values and their own port
        assertThat(Files.readString(workspace.log("gateway")))
                .contains("fake service starting on port " + suite.gateway().port())
                .contains("REDIS_URL=redis://127.0.0.1:6390");
        assertThat(runner.serviceEnvironment(suite.gateway())).containsEntry("FAKE_FROM_STACK", "stack");

        List<ProcessHandle> processes = runner.processes();
        runner.stop();

        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(Leftovers.referencing(workspace.localStackDir())).isEmpty();
        assertThat(workspace.stateFile()).doesNotExist();
        assertThat(runner.awaitTermination()).isZero();
        assertThat(output())
                .contains("Stopping 2 services…")
                .contains("Stopping local-stack…")
                .contains("also stopped what local-stack left running: postgres (pid ")
                .contains("Everything is stopped.");
        assertThat(output().indexOf("Stopping 2 services")).isLessThan(output().indexOf("Stopping local-stack"));
    }

    @Test
    void startsLocalStackInAClearedDirectory() throws Exception {
        Path debris = Files.createDirectories(workspace.localStackDir().resolve("pg/data"));
        Files.writeString(debris.resolve("postmaster.pid"), "4242");
        runner = runner(FakePrograms.commands(Map.of()), Map.of(), Duration.ofSeconds(60));

        assertThat(runner.start()).as(err.toString()).isTrue();

        assertThat(workspace.localStackDir().resolve("pg")).doesNotExist();
        assertThat(workspace.localStackEnv()).exists();
    }

    @Test
    void aServiceThatDiesStopsTheRunAndShowsItsLog() {
        runner = runner(FakePrograms.commands(Map.of("file-service", "fail")), Map.of(), Duration.ofSeconds(60));

        assertThat(runner.start()).isFalse();

        assertThat(runner.processes()).hasSize(3).noneMatch(ProcessHandle::isAlive);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("file-service exited with code 3 while starting.")
                .contains("Last lines of .dashboard/logs/file-service.log:")
                .contains("boom: this service cannot start");
        assertThat(workspace.stateFile()).doesNotExist();
        assertThat(runner.awaitTermination()).isEqualTo(1);
    }

    @Test
    void aServiceThatNeverGetsReadyTimesOut() {
        runner = runner(FakePrograms.commands(Map.of("gateway", "never")), Map.of(), Duration.ofSeconds(8));

        assertThat(runner.start()).isFalse();

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("gateway was not ready within 8 s");
        assertThat(runner.processes()).noneMatch(ProcessHandle::isAlive);
    }

    @Test
    void aServiceIgnoringSigtermIsKilledAfterTheGracePeriod() {
        runner = new SuiteRunner(
                workspace,
                suite,
                FakePrograms.commands(Map.of("gateway", "stubborn")),
                new ReadinessProbe(Duration.ofMillis(50), Duration.ofSeconds(1)),
                System.getenv(),
                new SuiteRunner.Settings(
                        Duration.ofSeconds(60),
                        Duration.ofMillis(500),
                        Duration.ofSeconds(10),
                        SuiteState.Mode.FOREGROUND),
                console());

        assertThat(runner.start()).as(err.toString()).isTrue();
        runner.stop();

        assertThat(runner.processes()).noneMatch(ProcessHandle::isAlive);
        assertThat(output()).contains("gateway ignored SIGTERM for 500 ms and was killed");
    }

    @Test
    void localStackDyingEndsTheRun() throws Exception {
        runner = runner(FakePrograms.commands(Map.of()), Map.of(), Duration.ofSeconds(60));
        assertThat(runner.start()).as(err.toString()).isTrue();
        runner.markReady();

        runner.processes().get(0).destroyForcibly();

        assertThat(runner.awaitTermination()).isEqualTo(1);
        assertThat(runner.processes()).noneMatch(ProcessHandle::isAlive);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("local-stack exited unexpectedly")
                .contains("Stopping the suite, since local-stack is gone.");
    }

    private SuiteRunner runner(LaunchCommands commands, Map<String, String> extraEnv, Duration timeout) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(extraEnv);
        return new SuiteRunner(
                workspace,
                suite,
                commands,
                new ReadinessProbe(Duration.ofMillis(50), Duration.ofSeconds(1)),
                env,
                new SuiteRunner.Settings(
                        timeout, Duration.ofSeconds(10), Duration.ofSeconds(10), SuiteState.Mode.FOREGROUND),
                console());
    }

    private Console console() {
        return new Console(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    private String output() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private Path fakePostgres() throws Exception {
        Path postgres = root.resolve("sleep-copy");
        Files.copy(Path.of(Files.isExecutable(Path.of("/usr/bin/sleep")) ? "/usr/bin/sleep" : "/bin/sleep"), postgres);
        postgres.toFile().setExecutable(true);
        return postgres;
    }

    private static Component service(String name) {
        return new Component(
                name, Component.Kind.SERVICE, FakePrograms.freePort(), Path.of(name + ".jar"), List.of(), List.of());
    }
}
