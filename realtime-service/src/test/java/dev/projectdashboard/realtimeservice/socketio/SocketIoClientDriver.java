package dev.projectdashboard.realtimeservice.socketio;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The stock {@code socket.io-client} v4 from npm, run by {@code src/test/node/sio-driver.js} in a node process: the
 * test writes commands to its stdin and reads one JSON line per client event from its stdout.
 */
final class SocketIoClientDriver implements AutoCloseable {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Path SOURCES = Path.of("src", "test", "node");
    private static final Path INSTALL = Path.of("target", "socketio-node");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);
    private static final String NODE_MISSING = "SocketIoEndToEndTests run the real socket.io-client from npm: "
            + "node (20 or newer) and npm must be on the PATH";

    private final Process process;
    private final OutputStream stdin;
    private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
    private final List<JsonNode> seen = new ArrayList<>();

    private SocketIoClientDriver(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::readStdout, "sio-driver-stdout-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Copies the driver and its lock file to {@code target/socketio-node} and runs {@code npm ci} there, unless
     * the same lock file was installed before (then nothing is downloaded: the run works offline).
     */
    static synchronized void install() throws IOException, InterruptedException {
        Files.createDirectories(INSTALL);
        Path lock = INSTALL.resolve("package-lock.json");
        boolean installed = Files.isDirectory(INSTALL.resolve("node_modules/socket.io-client"))
                && Files.exists(lock)
                && Files.mismatch(lock, SOURCES.resolve("package-lock.json")) == -1;
        for (String file : List.of("package.json", "package-lock.json", "sio-driver.js", "source002-client.js")) {
            Files.copy(SOURCES.resolve(file), INSTALL.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (installed) {
            return;
        }
        Process npm;
        try {
            npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                    .directory(INSTALL.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException(NODE_MISSING + " (" + e.getMessage() + ")", e);
        }
        npm.getOutputStream().close();
        byte[] output = npm.getInputStream().readAllBytes();
        if (!npm.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            npm.destroyForcibly();
            fail("npm ci in " + INSTALL.toAbsolutePath() + " took longer than " + INSTALL_TIMEOUT);
        }
        if (npm.exitValue() != 0) {
            fail("npm ci in " + INSTALL.toAbsolutePath() + " failed (the npm registry or a populated npm cache is "
                    + "needed once):\n" + new String(output, StandardCharsets.UTF_8));
        }
    }

    /**
     * Starts a client.
     *
     * @param url what an app passes to {@code io()}; its path is the namespace
     * @param options further driver options, e.g. {@code --token JWT}, {@code --no-reconnect}
     */
    static SocketIoClientDriver start(String url, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of("node", "sio-driver.js", url, "--path", "/socket.io"));
        command.addAll(List.of(options));
        try {
            Process process = new ProcessBuilder(command)
                    .directory(INSTALL.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new SocketIoClientDriver(process);
        } catch (IOException e) {
            throw new IllegalStateException(NODE_MISSING + " (" + e.getMessage() + ")", e);
        }
    }

    /** Where {@link #install} put the client and the scripts ({@code source002-client.js} among them). */
    static Path installDirectory() {
        return INSTALL;
    }

    /** Emits an event with one argument, asking for an acknowledgement when {@code ack}. */
    void emit(String event, String argument, boolean ack) throws IOException {
        var command =
                JSON.createObjectNode().put("emit", event).put("arg", argument).put("ack", ack);
        stdin.write((command.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /**
     * Emits one event per argument, all at once: one write, which the driver turns into back-to-back emits in the
     * same tick, as an app that subscribes to everything on start-up does.
     */
    void emitAll(String event, List<String> arguments, boolean ack) throws IOException {
        StringBuilder commands = new StringBuilder();
        for (String argument : arguments) {
            commands.append(JSON.createObjectNode()
                            .put("emit", event)
                            .put("arg", argument)
                            .put("ack", ack)
                            .put("ack_timeout_ms", 30_000))
                    .append('\n');
        }
        stdin.write(commands.toString().getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    /** The next line of this kind (earlier lines of other kinds are kept in {@link #seen}). */
    JsonNode next(String kind, Duration timeout) throws InterruptedException {
        return next(line -> kind.equals(line.path("kind").asString()), timeout, "a '" + kind + "' line");
    }

    /** The next line matching {@code condition}; fails after {@code timeout}, listing what came instead. */
    JsonNode next(Predicate<JsonNode> condition, Duration timeout, String description) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            JsonNode line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                return fail("no " + description + " from socket.io-client within " + timeout + "; got " + seen);
            }
            seen.add(line);
            if (condition.test(line)) {
                return line;
            }
        }
    }

    /** Lines of this kind received so far, including those still waiting to be read by {@link #next}. */
    List<JsonNode> seenOfKind(String kind) {
        lines.drainTo(seen);
        return seen.stream()
                .filter(line -> kind.equals(line.path("kind").asString()))
                .toList();
    }

    private void readStdout() {
        try (BufferedReader reader = process.inputReader(StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                lines.add(JSON.readTree(line));
            }
        } catch (IOException | RuntimeException e) {
            lines.add(JSON.createObjectNode().put("kind", "stdout_error").put("message", e.toString()));
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // already gone
        }
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
