package dev.projectdashboard.bench.gateway;

import dev.projectdashboard.bench.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Debian's nginx with a {@link NginxConfig} of the bench's, in the foreground as this JVM's child. */
final class NginxProcess implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final NginxConfig config;
    private final ManagedProcess process;

    private NginxProcess(NginxConfig config, ManagedProcess process) {
        this.config = config;
        this.process = process;
    }

    /** Writes the configuration, has nginx check it ({@code -t}), then starts it; throws with nginx's words if not. */
    static NginxProcess start(NginxConfig config) throws IOException, InterruptedException {
        requireBinary();
        Files.createDirectories(config.prefix());
        // nginx appends: the last run's lines would read as this run's
        Files.deleteIfExists(config.errorLog());
        Files.writeString(config.confFile(), config.render(), StandardCharsets.UTF_8);
        String check = test(config);
        if (check != null) {
            throw new IllegalStateException("nginx refused its configuration " + config.confFile() + ":\n" + check);
        }
        Path log = config.prefix().resolve("stdout.log");
        return new NginxProcess(config, ManagedProcess.start("nginx", command(config, false), Map.of(), log));
    }

    /** {@code nginx -t} on the configuration as written: null when nginx accepts it, else what it said. */
    static String test(NginxConfig config) throws IOException, InterruptedException {
        Process test = new ProcessBuilder(command(config, true))
                .redirectErrorStream(true)
                .start();
        String output = new String(test.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!test.waitFor(30, TimeUnit.SECONDS)) {
            test.destroyForcibly();
            return "nginx -t did not finish in 30 s";
        }
        return test.exitValue() == 0 ? null : output.strip();
    }

    private static List<String> command(NginxConfig config, boolean test) {
        Path prefix = config.prefix().toAbsolutePath();
        // -e: the error log before the configuration is read (else nginx opens /var/log/nginx/error.log first)
        List<String> command = new ArrayList<>(List.of(
                BINARY.toString(),
                "-p",
                prefix + "/",
                "-c",
                config.confFile().toAbsolutePath().toString(),
                "-e",
                config.errorLog().toAbsolutePath().toString()));
        if (test) {
            command.add("-t");
        }
        return command;
    }

    static void requireBinary() {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: install Debian's nginx (apt-get install nginx;"
                    + " bench/run gateway does it when it runs as root or with sudo)");
        }
    }

    /** "nginx/1.22.1", from {@code nginx -v}. */
    static String version() throws IOException, InterruptedException {
        Process v = new ProcessBuilder(BINARY.toString(), "-v")
                .redirectErrorStream(true)
                .start();
        String out = new String(v.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        v.waitFor(10, TimeUnit.SECONDS);
        int at = out.indexOf("nginx/");
        return at >= 0 ? out.substring(at).split("\\s")[0] : out;
    }

    ManagedProcess process() {
        return process;
    }

    long pid() {
        return process.pid();
    }

    /** The worker processes (children of the master), for the CPU accounting. */
    List<Long> workerPids() {
        return ProcessHandle.of(process.pid())
                .map(master -> master.children().map(ProcessHandle::pid).toList())
                .orElse(List.of());
    }

    int port() {
        return config.listenPort();
    }

    NginxConfig config() {
        return config;
    }

    /** The error log's last lines (warnings included), for the report when something went wrong. */
    String errorLogTail() {
        try {
            List<String> lines = Files.readAllLines(config.errorLog());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
