package dev.projectdashboard.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL 17 from zonky's binaries, with the {@code dashboard} database owned by the {@code dashboard} role.
 * Services create their own schemas (Flyway); this only provides an empty database they own.
 */
final class PostgresNode {

    static final String DATABASE = "dashboard";
    static final String USERNAME = "dashboard";
    static final String PASSWORD = "dashboard";
    private static final int MAX_SOCKET_PATH = 100;

    private final Path dir;
    private final Path binariesDir;
    private final int port;
    private EmbeddedPostgres postgres;
    private Path socketDir;
    private boolean ownsSocketDir;

    PostgresNode(Path dir, Path binariesDir, int port) {
        this.dir = Directories.create(dir);
        this.binariesDir = Directories.create(binariesDir);
        this.port = port;
    }

    int port() {
        return port;
    }

    synchronized void start() throws IOException, SQLException {
        if (postgres != null) {
            return;
        }
        Path log = dir.resolve("postgres.log");
        socketDir = socketDirectory();
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setOverrideWorkingDirectory(binariesDir.toFile())
                    .setDataDirectory(dir.resolve("data"))
                    .setCleanDataDirectory(true)
                    // LocalStack stops it in order with the other servers, before it removes the directories
                    .setRegisterShutdownHook(false)
                    // a loaded CI machine can take longer than zonky's 10 s default
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setServerConfig("listen_addresses", Ports.LOOPBACK)
                    .setServerConfig("unix_socket_directories", socketDir.toString())
                    .setServerConfig("max_connections", "200")
                    // throw-away data: durability only costs start-up and test time
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException(e.getMessage() + "; PostgreSQL said:\n" + tail(log), e);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE " + USERNAME + " LOGIN PASSWORD '" + PASSWORD + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + USERNAME);
        }
    }

    /**
     * A directory of our own for the Unix socket: the default {@code /var/run/postgresql} may be missing or belong
     * to another server. Socket paths are limited to 107 bytes, so a deep work directory (a CI checkout) falls back
     * to a short private directory in the system temp root, removed again on stop.
     */
    private Path socketDirectory() throws IOException {
        Path preferred = dir.resolve("s");
        if (preferred.resolve(".s.PGSQL." + port).toAbsolutePath().toString().length() <= MAX_SOCKET_PATH) {
            ownsSocketDir = false;
            return Directories.create(preferred);
        }
        ownsSocketDir = true;
        return Files.createTempDirectory(Path.of("/tmp"), "pg-");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    synchronized void stop() throws IOException {
        if (postgres == null) {
            return;
        }
        try {
            postgres.close();
        } finally {
            postgres = null;
            if (ownsSocketDir) {
                Directories.deleteRecursively(socketDir);
            }
        }
    }
}
