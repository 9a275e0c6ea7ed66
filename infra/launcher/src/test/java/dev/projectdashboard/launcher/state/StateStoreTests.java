package dev.projectdashboard.launcher.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.process.ProcessRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateStoreTests {

    @TempDir
    Path dir;

    @Test
    void roundTripsEveryField() {
        StateStore store = new StateStore(dir.resolve(".dashboard/state.properties"));
        SuiteState state = new SuiteState(
                new ProcessRef(41, Optional.of(Instant.parse("2026-11-22T23:00:00.120Z"))),
                SuiteState.Mode.DETACHED,
                SuiteState.Status.READY,
                Instant.parse("2026-11-22T23:00:01Z"),
                "abcdef012345",
                List.of(
                        new SuiteState.ComponentProcess(
                                "local-stack", new ProcessRef(42, Optional.empty()), 0, dir.resolve("ls.log")),
                        new SuiteState.ComponentProcess(
                                "gateway",
                                new ProcessRef(43, Optional.of(Instant.parse("2026-11-22T23:00:02Z"))),
                                8080,
                                dir.resolve("logs/gateway.log"))));

        store.write(state);

        assertThat(store.read()).contains(state);
        assertThat(dir.resolve(".dashboard/state.properties.tmp")).doesNotExist();
    }

    @Test
    void nothingRecordedReadsAsEmpty() {
        assertThat(new StateStore(dir.resolve("state.properties")).read()).isEmpty();
    }

    @Test
    void aDamagedFileIsNotTrusted() throws Exception {
        Path file = dir.resolve("state.properties");
        Files.writeString(file, "supervisor.pid=abc\nmode=detached\n");

        assertThat(new StateStore(file).read()).isEmpty();
    }

    @Test
    void deleteRemovesTheFile() {
        StateStore store = new StateStore(dir.resolve("state.properties"));
        store.write(new SuiteState(
                ProcessRef.of(ProcessHandle.current()),
                SuiteState.Mode.FOREGROUND,
                SuiteState.Status.STARTING,
                Instant.now(),
                "",
                List.of()));

        store.delete();

        assertThat(store.read()).isEmpty();
    }

    @Test
    void lockIsExclusiveUntilReleased() {
        Path file = dir.resolve("launcher.lock");
        Optional<InstanceLock> first = InstanceLock.tryAcquire(file);

        assertThat(first).isPresent();
        assertThat(InstanceLock.tryAcquire(file)).isEmpty();
        assertThat(InstanceLock.isHeld(file)).isTrue();

        first.get().close();

        assertThat(InstanceLock.isHeld(file)).isFalse();
    }

    @Test
    void workspaceKeepsEverythingUnderDotDashboard() {
        Workspace workspace = new Workspace(dir);

        assertThat(workspace.log("gateway")).isEqualTo(dir.resolve(".dashboard/logs/gateway.log"));
        assertThat(workspace.localStackEnv()).isEqualTo(dir.resolve(".dashboard/local-stack/local-stack.env"));
        assertThat(workspace.display(workspace.log("gateway"))).isEqualTo(".dashboard/logs/gateway.log");
    }

    @Test
    void workspaceIsFoundFromTheLauncherJar() throws Exception {
        Files.createFile(dir.resolve("mvnw"));
        Files.createFile(dir.resolve("pom.xml"));
        Path jar = dir.resolve("infra/launcher/target/launcher-0.1.0-SNAPSHOT.jar");

        assertThat(Workspace.locate(Optional.empty(), Optional.of(jar), Path.of("/elsewhere"))
                        .root())
                .isEqualTo(dir.toAbsolutePath());
        assertThat(Workspace.locate(Optional.of("/given"), Optional.of(jar), Path.of("/elsewhere"))
                        .root())
                .isEqualTo(Path.of("/given"));
        assertThat(Workspace.locate(Optional.empty(), Optional.empty(), Path.of("/elsewhere"))
                        .root())
                .isEqualTo(Path.of("/elsewhere"));
    }
}
