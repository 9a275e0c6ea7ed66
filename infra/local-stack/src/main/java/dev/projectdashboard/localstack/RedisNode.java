package dev.projectdashboard.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server (6.2, streams included) from the embedded-redis jar. The binary and the config file are
 * written into the stack's own directory: the library's defaults would leave a {@code redis-*} directory in
 * {@code java.io.tmpdir} per run.
 *
 * <p>Its data is kept in an append-only file in the stack's directory: a {@link #stop()} and {@link #start()} bring
 * it back with every key, stream, consumer group and pending entry it had.
 */
final class RedisNode {

    /** Redis's own log lines, at DEBUG; a crash report or a refused write of its data at WARN. */
    private static final Logger redisLog = LoggerFactory.getLogger("dev.projectdashboard.localstack.redis-server");

    private final Path dir;
    private final int port;
    private final File executable;
    private RedisServer server;

    RedisNode(Path dir, int port) throws IOException {
        this.dir = Directories.create(dir);
        this.port = port;
        // written here, before PostgreSQL and HiveMQ start in parallel: a process forked while this file is
        // still open for writing would make exec fail with ETXTBSY ("Text file busy")
        this.executable =
                ExecutableProvider.newJarResourceProvider(this.dir.toFile()).get();
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        Path data = Directories.create(dir.resolve("data"));
        Path config = dir.resolve("redis.conf");
        // persisted like a production Redis (append-only file, no snapshots), so the event streams, their
        // consumer groups and pending entries survive stopRedis()/startRedis(): outage tests restart a Redis that
        // keeps its data, as production's does. everysec costs no test time; the graceful stop below writes and
        // fsyncs the file, so nothing acknowledged before a stop is lost. The data directory belongs to this stack
        // and is removed with it, so a new stack still starts empty.
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "bind " + Ports.LOOPBACK,
                        "port " + port,
                        "dir " + data,
                        "save \"\"",
                        "appendonly yes",
                        "appendfsync everysec",
                        "protected-mode yes",
                        ""),
                StandardCharsets.UTF_8);
        List<String> args = List.of(executable.getAbsolutePath(), config.toString());
        // forceStop false: stop() must end the process with SIGTERM (a graceful shutdown), not SIGKILL
        RedisServer candidate = new RedisServer(port, args, false, RedisNode::logLine, RedisNode::logLine);
        candidate.start();
        server = candidate;
    }

    /** Redis marks startup notices as warnings too ({@code #}), so only the lines that mean trouble are raised. */
    private static void logLine(String line) {
        if (line.contains("BUG REPORT")
                || line.contains("crashed by signal")
                || line.contains("ASSERTION FAILED")
                || line.contains("Error writing to the AOF")
                || line.contains("Can't open the append")) {
            redisLog.warn("{}", line);
        } else {
            redisLog.debug("{}", line);
        }
    }

    synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        try {
            // SIGTERM, then waits for the process to exit: Redis writes and fsyncs its append-only file first
            server.stop();
        } finally {
            server = null;
        }
    }
}
