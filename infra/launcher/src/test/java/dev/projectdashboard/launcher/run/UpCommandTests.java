package dev.projectdashboard.launcher.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Command;
import dev.projectdashboard.launcher.fake.FakePrograms;
import dev.projectdashboard.launcher.process.ProcessRef;
import dev.projectdashboard.launcher.state.InstanceLock;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.StackPorts;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code up} refuses before it starts anything. */
class UpCommandTests {

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Workspace workspace;
    private SuiteDefinition suite;
    private Process stray;

    @BeforeEach
    void builtSuite() throws Exception {
        workspace = new Workspace(root);
        suite = new SuiteDefinition(
                component("local-stack", Component.Kind.LOCAL_STACK, 0),
                List.of(component("gateway", Component.Kind.SERVICE, FakePrograms.freePort())),
                new StackPorts(
                        FakePrograms.freePort(),
                        FakePrograms.freePort(),
                        FakePrograms.freePort(),
                        FakePrograms.freePort()));
    }

    @AfterEach
    void killStray() {
        if (stray != null) {
            stray.destroyForcibly();
        }
    }

    @Test
    void aSecondUpSaysTheSuiteIsAlreadyRunning() throws Exception {
        try (InstanceLock running =
                InstanceLock.tryAcquire(workspace.lockFile()).orElseThrow()) {
            assertThat(up()).isEqualTo(1);
        }
        assertThat(text()).contains("The suite is already running").contains("./dashboard down");
    }

    @Test
    void aTakenPortIsNamedWithItsOwner() throws Exception {
        try (ServerSocket taken = new ServerSocket(suite.gateway().port(), 50, InetAddress.getLoopbackAddress())) {
            assertThat(up()).isEqualTo(1);
        }
        assertThat(text()).contains("Port " + suite.gateway().port() + " is already in use, and gateway needs it");
    }

    @Test
    void processesLeftByACrashedRunMustBeStoppedFirst() throws Exception {
        stray = new ProcessBuilder("sleep", "60").start();
        new StateStore(workspace.stateFile())
                .write(new SuiteState(
                        new ProcessRef(Long.MAX_VALUE, Optional.empty()),
                        SuiteState.Mode.DETACHED,
                        SuiteState.Status.READY,
                        Instant.now(),
                        "",
                        List.of(new SuiteState.ComponentProcess(
                                "gateway", ProcessRef.of(stray.toHandle()), 8080, workspace.log("gateway")))));

        assertThat(up()).isEqualTo(1);

        assertThat(text())
                .contains("A previous run left processes behind: gateway (pid " + stray.pid() + ")")
                .contains("./dashboard down");
        assertThat(stray.isAlive()).isTrue();
    }

    @Test
    void missingJarsWithoutBuildingAreReported() throws Exception {
        Files.delete(suite.gateway().jar());

        assertThat(up()).isEqualTo(1);

        assertThat(text()).contains("Missing or outdated jars (--no-build given): gateway.");
    }

    private int up() throws Exception {
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        return new UpCommand(
                        workspace,
                        suite,
                        Map.of(),
                        new Console(print, print, false),
                        FakePrograms.commands(Map.of()),
                        Optional.empty())
                .up(new Command.Up(false, Duration.ofSeconds(30), false));
    }

    private Component component(String name, Component.Kind kind, int port) throws Exception {
        Path jar = Files.createDirectories(root.resolve(name + "/target")).resolve(name + ".jar");
        Files.writeString(jar, "jar");
        return new Component(name, kind, port, jar, List.of(root.resolve(name + "/src")), List.of());
    }

    private String text() {
        return out.toString(StandardCharsets.UTF_8);
    }
}
