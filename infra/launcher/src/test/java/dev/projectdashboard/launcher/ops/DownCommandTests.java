package dev.projectdashboard.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.process.ProcessRef;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DownCommandTests {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Process> children = new ArrayList<>();
    private Workspace workspace;
    private DownCommand down;

    @BeforeEach
    void setUp() {
        workspace = new Workspace(root);
        down = new DownCommand(
                workspace,
                new Console(
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        false),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10));
    }

    @AfterEach
    void killChildren() {
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void stopsTheSupervisorAndWhateverItLeftRunning() throws Exception {
        Process supervisor = sleep();
        Process service = sleep();
        Process stack = sleep();
        record(supervisor, service, stack);

        assertThat(down.down()).isZero();

        assertThat(List.of(supervisor, service, stack)).noneMatch(Process::isAlive);
        assertThat(workspace.stateFile()).doesNotExist();
        assertThat(text())
                .contains("Stopping the suite (supervisor pid " + supervisor.pid() + ")")
                .contains("Stopped (");
    }

    @Test
    void cleansUpAfterACrashedSupervisor() throws Exception {
        Process supervisor = new ProcessBuilder("true").start();
        supervisor.waitFor();
        Process service = sleep();
        Process stack = sleep();
        record(supervisor, service, stack);

        assertThat(down.down()).isZero();

        assertThat(service.isAlive()).isFalse();
        assertThat(stack.isAlive()).isFalse();
        assertThat(text()).contains("stopping services: gateway (pid " + service.pid() + ")");
        assertThat(text().indexOf("stopping services")).isLessThan(text().indexOf("stopping local-stack"));
    }

    @Test
    void saysSoWhenNothingRuns() {
        assertThat(down.down()).isZero();
        assertThat(text()).contains("Nothing is running.");
    }

    private void record(Process supervisor, Process service, Process stack) {
        new StateStore(workspace.stateFile())
                .write(new SuiteState(
                        new ProcessRef(supervisor.pid(), supervisor.info().startInstant()),
                        SuiteState.Mode.DETACHED,
                        SuiteState.Status.READY,
                        Instant.now(),
                        "",
                        List.of(
                                new SuiteState.ComponentProcess(
                                        "local-stack",
                                        ProcessRef.of(stack.toHandle()),
                                        0,
                                        workspace.log("local-stack")),
                                new SuiteState.ComponentProcess(
                                        "gateway",
                                        ProcessRef.of(service.toHandle()),
                                        8080,
                                        workspace.log("gateway")))));
    }

    private Process sleep() throws Exception {
        Process process = new ProcessBuilder("sleep", "60").start();
        children.add(process);
        return process;
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
