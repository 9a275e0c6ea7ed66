package dev.projectdashboard.localstack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import redis.embedded.RedisServer;
import redis.embedded.core.ExecutableProvider;

/**
 * A real redis-server (6.2, streams included) from the embedded-redis jar. The binary and the config file are
 * written into the stack's own directory: the library's defaults would leave a {@code redis-*} directory in
 * {@code java.io.tmpdir} per run.
 */
final class RedisNode {

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
        // a cache and a message bus for the tests and local runs: nothing is persisted, a restart starts empty
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "bind " + Ports.LOOPBACK,
                        "port " + port,
                        "dir " + data,
                        "save \"\"",
                        "appendonly no",
                        "protected-mode yes",
                        ""),
                StandardCharsets.UTF_8);
        List<String> args = List.of(executable.getAbsolutePath(), config.toString());
        RedisServer candidate = new RedisServer(port, args, false);
        candidate.start();
        server = candidate;
    }

    synchronized void stop() throws IOException {
        if (server == null) {
            return;
        }
        try {
            server.stop();
        } finally {
            server = null;
        }
    }
}
