package dev.projectdashboard.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the suite's services as its own JVM from its jar, the way it runs in production: {@code java <jvm options>
 * -jar <module>/target/….jar <arguments>} with the local stack's environment and {@code SERVER_PORT}.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String module;
    private final ManagedProcess process;
    private final int port;

    private ServiceProcess(String module, ManagedProcess process, int port) {
        this.module = module;
        this.process = process;
        this.port = port;
    }

    /**
     * @param module the service's module directory and name (file-service, realtime-service, …)
     * @param environment the local stack's connection variables; {@code SERVER_PORT} is added
     */
    public static ServiceProcess start(
            String module,
            Path jar,
            List<String> jvmOptions,
            List<String> arguments,
            Map<String, String> environment,
            int port,
            Path log)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(module + " jar missing: " + jar + " (build it: ./mvnw -B -q -f " + module
                    + "/pom.xml package -DskipTests)");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(arguments);
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.put("SERVER_PORT", Integer.toString(port));
        return new ServiceProcess(module, ManagedProcess.start(module, command, env, log), port);
    }

    /** A port nobody listens on right now, for a service to bind. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** Polls the readiness probe until it answers 200 {@code UP}; fails early if the JVM exits. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest probe = HttpRequest.newBuilder(uri("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(5))
                .build();
        process.awaitReady(
                client,
                probe,
                response -> response.statusCode() == 200 && response.body().contains("\"UP\""),
                timeout);
    }

    public String module() {
        return module;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    public String logTail() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
