package dev.projectdashboard.localstack;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Debian's Mosquitto 2 on a free loopback port, for tests that must hold for another broker than the stack's
 * HiveMQ. It runs with a configuration of its own in a private directory, never the package's system service:
 * anonymous clients refused, the given users with their passwords, and the caller's ACL file (Mosquitto's {@code
 * user}/{@code topic}/{@code pattern} syntax, e.g. {@code pattern write devices/%u/upload/request}).
 *
 * <pre>{@code
 * assumeTrue(MosquittoBroker.available(), "mosquitto is not installed: skipped");
 * try (MosquittoBroker broker = MosquittoBroker.start(Map.of("CAM_1", "secret"), "pattern write devices/%u/#\n")) {
 *     … broker.host(), broker.port() …
 * }
 * }</pre>
 */
public final class MosquittoBroker implements AutoCloseable {

    static final String LOG_FILE = "mosquitto.log";
    private static final long START_TIMEOUT_SECONDS = 20;

    private final Path dir;
    private final int port;
    private final Process process;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MosquittoBroker(Path dir, int port, Process process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /** Whether {@code mosquitto} and {@code mosquitto_passwd} are installed ({@code PATH}, {@code /usr/sbin}). */
    public static boolean available() {
        return executable("mosquitto").isPresent()
                && executable("mosquitto_passwd").isPresent();
    }

    /**
     * Starts a broker and returns once it accepts connections.
     *
     * @param passwords username to password; usernames without {@code :}
     * @param aclFile the text of Mosquitto's {@code acl_file}
     * @throws IllegalStateException when mosquitto is not installed or does not start (with its log)
     */
    public static MosquittoBroker start(Map<String, String> passwords, String aclFile) {
        Path mosquitto = executable("mosquitto")
                .orElseThrow(() -> new IllegalStateException("mosquitto is not installed (apt-get install mosquitto)"));
        Path dir = Directories.createTemp("mosq-");
        try {
            writePasswords(dir, passwords);
            Files.writeString(dir.resolve("acl"), aclFile, StandardCharsets.UTF_8);
            try {
                return startOnFreePort(mosquitto, dir);
            } catch (IllegalStateException first) {
                // a free port found at random can be taken before mosquitto binds it
                if (!first.getMessage().contains("Address already in use")) {
                    throw first;
                }
                return startOnFreePort(mosquitto, dir);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Directories.deleteRecursively(dir);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot prepare mosquitto in " + dir, io);
            }
            throw (RuntimeException) e;
        }
    }

    public String host() {
        return Ports.LOOPBACK;
    }

    public int port() {
        return port;
    }

    /** Its private directory: configuration, password and ACL files, {@value #LOG_FILE}. */
    public Path workDir() {
        return dir;
    }

    /** Everything mosquitto logged so far (connections, refusals, ACL denials), for a failing test's message. */
    public String log() {
        return readLog(dir);
    }

    /** Stops mosquitto (SIGTERM, then SIGKILL after 10 s) and removes its directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stop(process);
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    private static MosquittoBroker startOnFreePort(Path mosquitto, Path dir) throws IOException {
        int port = Ports.freePort();
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "per_listener_settings false",
                        "allow_anonymous false",
                        "password_file " + dir.resolve("passwords"),
                        "acl_file " + dir.resolve("acl"),
                        "persistence false",
                        // stderr is unbuffered: each line reaches the log file (and the start check) at once
                        "log_dest stderr",
                        "log_type all",
                        // as root it would otherwise switch to the mosquitto user, who cannot read this directory
                        "user " + System.getProperty("user.name"),
                        "listener " + port + " " + Ports.LOOPBACK,
                        ""),
                StandardCharsets.UTF_8);
        Files.deleteIfExists(dir.resolve(LOG_FILE));
        Process process = new ProcessBuilder(mosquitto.toString(), "-c", config.toString())
                .redirectErrorStream(true)
                .start();
        CompletableFuture<Void> running = new CompletableFuture<>();
        Thread reader = new Thread(() -> copyLog(process, dir.resolve(LOG_FILE), running), "mosquitto-log-" + port);
        reader.setDaemon(true);
        reader.start();
        try {
            running.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            // the "running" line comes after the listener is open; one connection proves it
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 5_000);
            }
            return new MosquittoBroker(dir, port, process);
        } catch (ExecutionException | TimeoutException | IOException e) {
            stop(process);
            throw new IllegalStateException(
                    "mosquitto did not start on port " + port + "; its log:\n" + readLog(dir), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop(process);
            throw new IllegalStateException("interrupted while mosquitto was starting", e);
        }
    }

    /** Mosquitto's own tool hashes a plain {@code user:password} file in place. */
    private static void writePasswords(Path dir, Map<String, String> passwords) throws IOException {
        List<String> lines = new ArrayList<>();
        passwords.forEach((user, password) -> {
            if (user.isEmpty() || user.contains(":") || user.contains("\n") || password.contains("\n")) {
                throw new IllegalArgumentException("not a mosquitto username/password: '" + user + "'");
            }
            lines.add(user + ":" + password);
        });
        Path file = dir.resolve("passwords");
        Files.write(file, lines, StandardCharsets.UTF_8);
        Path passwd = executable("mosquitto_passwd")
                .orElseThrow(() -> new IllegalStateException("mosquitto_passwd is not installed"));
        Process hashing = new ProcessBuilder(passwd.toString(), "-U", file.toString())
                .redirectErrorStream(true)
                .start();
        try {
            String output = new String(hashing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!hashing.waitFor(30, TimeUnit.SECONDS) || hashing.exitValue() != 0) {
                hashing.destroyForcibly();
                throw new IllegalStateException("mosquitto_passwd -U failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            hashing.destroyForcibly();
            throw new IllegalStateException("interrupted while hashing mosquitto passwords", e);
        }
    }

    private static void copyLog(Process process, Path log, CompletableFuture<Void> running) {
        try (BufferedReader lines =
                        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(
                        log, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.contains(" running")) {
                    running.complete(null);
                }
            }
        } catch (IOException e) {
            // the directory is removed on close while the pipe drains: nothing left to keep
        }
        running.completeExceptionally(new IllegalStateException("mosquitto exited"));
    }

    private static String readLog(Path dir) {
        try {
            return Files.readString(dir.resolve(LOG_FILE), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static Optional<Path> executable(String name) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.concat(Stream.of(path.split(File.pathSeparator)), Stream.of("/usr/sbin", "/usr/bin"))
                .filter(entry -> !entry.isBlank())
                .map(entry -> Path.of(entry, name))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
