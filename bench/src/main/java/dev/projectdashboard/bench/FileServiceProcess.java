package dev.projectdashboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** file-service as its own JVM, the way it runs in production: {@code java -Xmx128m -jar …}. */
final class FileServiceProcess implements AutoCloseable {

    private final ManagedProcess process;
    private final int port;

    private FileServiceProcess(ManagedProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    static FileServiceProcess start(Path jar, Map<String, String> environment, int port, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("file-service jar missing: " + jar
                    + " (build it: ./mvnw -B -q -f file-service/pom.xml package -DskipTests)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Map<String, String> env = new HashMap<>(environment);
        env.put("SERVER_PORT", Integer.toString(port));
        return new FileServiceProcess(
                ManagedProcess.start("file-service", List.of(java, "-Xmx128m", "-jar", jar.toString()), env, log),
                port);
    }

    long pid() {
        return process.pid();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    /** Polls the readiness probe until it answers 200 {@code UP}; fails early if the JVM exits. */
    void awaitReady(HttpClient client, Duration timeout) throws IOException, InterruptedException {
        HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        process.awaitReady(
                client,
                probe,
                response -> response.statusCode() == 200 && response.body().contains("\"UP\""),
                timeout);
    }

    String logTail() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
