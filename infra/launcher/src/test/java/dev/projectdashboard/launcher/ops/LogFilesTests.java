package dev.projectdashboard.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFilesTests {

    @TempDir
    Path dir;

    @Test
    void tailReturnsTheLastLines() throws Exception {
        Path log = dir.resolve("a.log");
        Files.writeString(
                log,
                IntStream.rangeClosed(1, 5000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n")));

        assertThat(LogFiles.tail(log, 3)).containsExactly("line 4998", "line 4999", "line 5000");
        assertThat(LogFiles.tail(dir.resolve("missing.log"), 3)).isEmpty();
    }

    @Test
    void followSeesAppendedLinesAndRestartedFiles() throws Exception {
        Path log = Files.writeString(dir.resolve("gateway.log"), "old line\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread follower = new Thread(() -> LogFiles.follow(
                Map.of("gateway", log),
                (name, line) -> seen.add(name + ": " + line),
                running::get,
                Duration.ofMillis(10),
                true));
        follower.start();
        try {
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("gateway: old line"));
            Files.writeString(log, "new line\nhalf", StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("gateway: new line"));
            Files.writeString(log, " done\n", StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("gateway: half done"));

            Files.writeString(log, "restarted\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> seen.contains("gateway: restarted"));
        } finally {
            running.set(false);
            follower.join(5000);
        }
        assertThat(seen)
                .containsExactly("gateway: old line", "gateway: new line", "gateway: half done", "gateway: restarted");
    }

    @Test
    void followStartsAtTheEndUnlessAskedOtherwise() throws Exception {
        Path log = Files.writeString(dir.resolve("gateway.log"), "old line\n");
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger rounds = new AtomicInteger();

        LogFiles.follow(
                Map.of("gateway", log),
                (name, line) -> seen.add(line),
                () -> rounds.incrementAndGet() < 3,
                Duration.ofMillis(1),
                false);

        assertThat(rounds).hasValue(3);
        assertThat(seen).isEmpty();
    }
}
