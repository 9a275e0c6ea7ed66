package dev.projectdashboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** file-service as its own JVM, the way it runs in production: {@code java -Xmx128m -jar …}. */
final class FileServiceProcess implements AutoCloseable {

    private final Process process;
    private final int port;
    private final Path log;

    private FileServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    static FileServiceProcess start(Path jar, Map<String, String> environment, int port, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("file-service jar missing: " + jar
                    + " (build it: ./mvnw -B -q -f file-service/pom.xml package -DskipTests)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx128m", "-jar", jar.toString()));
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        return new FileServiceProcess(builder.start(), port, log);
    }

    long pid() {
        return process.pid();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Polls the readiness probe until it answers 200 {@code UP}; fails early if the JVM exits. */
    void awaitReady(HttpClient client, Duration timeout) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "file-service exited with " + process.exitValue() + "; last log lines:\n" + logTail());
            }
            try {
                HttpResponse<String> response = client.send(probe, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200 && response.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // the port opens a little after the JVM starts
            }
            Thread.sleep(250); // polling an external process: nothing to wait on but time
        }
        throw new IllegalStateException("file-service not ready after " + timeout + "; last log lines:\n" + logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
