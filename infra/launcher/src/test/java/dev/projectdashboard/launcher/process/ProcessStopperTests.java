package dev.projectdashboard.launcher.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessStopperTests {

    private Process child;

    @AfterEach
    void killChild() {
        if (child != null) {
            child.destroyForcibly();
        }
    }

    @Test
    void stopsAChildWithSigterm() throws Exception {
        child = new ProcessBuilder("sleep", "60").start();

        List<ProcessHandle> killed = ProcessStopper.stopAll(List.of(child.toHandle()), Duration.ofSeconds(10));

        assertThat(killed).isEmpty();
        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isEqualTo(143);
        assertThat(ProcessHandle.of(child.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    void killsAChildThatIgnoresSigterm() throws Exception {
        child = new ProcessBuilder("sh", "-c", "trap '' TERM; echo ready; exec sleep 60").start();
        // wait for the trap to be in place before sending SIGTERM
        assertThat(new String(child.getInputStream().readNBytes(6))).isEqualTo("ready\n");

        List<ProcessHandle> killed = ProcessStopper.stopAll(List.of(child.toHandle()), Duration.ofMillis(300));

        assertThat(killed).extracting(ProcessHandle::pid).containsExactly(child.pid());
        assertThat(child.isAlive()).isFalse();
        assertThat(child.exitValue()).isEqualTo(137);
    }

    @Test
    void refIsOnlyAliveForTheSameProcess() throws Exception {
        child = new ProcessBuilder("sleep", "60").start();
        ProcessRef ref = ProcessRef.of(child.toHandle());
        ProcessRef reusedPid = new ProcessRef(child.pid(), Optional.of(Instant.parse("2001-01-01T00:00:00Z")));

        assertThat(ref.isAlive()).isTrue();
        assertThat(reusedPid.isAlive()).isFalse();

        child.destroy();
        await().atMost(Duration.ofSeconds(10)).until(() -> !ref.isAlive());
    }

    @Test
    void findsOrphanedServersByTheirDirectory(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectories(dir.resolve("local-stack"));
        Path postgres = data.resolve("postgres");
        Files.copy(Path.of(sleepBinary()), postgres);
        postgres.toFile().setExecutable(true);
        // started the way pg_ctl starts the postmaster: in the background of a shell that exits at once
        new ProcessBuilder("sh", "-c", "'" + postgres + "' 120 >/dev/null 2>&1 &")
                .start()
                .waitFor();

        await().atMost(Duration.ofSeconds(10))
                .until(() -> !Leftovers.referencing(data).isEmpty());
        List<ProcessHandle> found = Leftovers.referencing(data);
        assertThat(found).allSatisfy(p -> assertThat(ProcessHandle.current().descendants())
                .doesNotContain(p));
        assertThat(Leftovers.describe(found.get(0))).startsWith("postgres (pid ");
        assertThat(Leftovers.referencing(dir.resolve("other"))).isEmpty();

        ProcessStopper.stopAll(found, Duration.ofSeconds(10));

        assertThat(Leftovers.referencing(data)).isEmpty();
    }

    @Test
    void aZombieDoesNotCountAsRunning(@TempDir Path dir) throws Exception {
        // the background job becomes a zombie: it exits only after its parent has exec'd into a program that
        // never reaps it (were it to exit earlier, the shell could reap it and there would be no zombie)
        Path exitNow = dir.resolve("exit-now");
        child = new ProcessBuilder(
                        "sh",
                        "-c",
                        "(while [ ! -e \"$1\" ]; do sleep 0.05; done) & echo $!; exec sleep 30",
                        "sh",
                        exitNow.toString())
                .start();
        long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(child.getInputStream()))
                .readLine()
                .strip());
        await().atMost(Duration.ofSeconds(10))
                .until(() -> child.toHandle().info().command().orElse("").endsWith("sleep"));
        Files.createFile(exitNow);

        await().atMost(Duration.ofSeconds(10)).until(() -> Liveness.isZombie(zombie));

        assertThat(ProcessHandle.of(zombie).map(Liveness::isRunning)).contains(false);
        assertThat(Liveness.isRunning(child.toHandle())).isTrue();
    }

    private static String sleepBinary() {
        return Files.isExecutable(Path.of("/usr/bin/sleep")) ? "/usr/bin/sleep" : "/bin/sleep";
    }
}
