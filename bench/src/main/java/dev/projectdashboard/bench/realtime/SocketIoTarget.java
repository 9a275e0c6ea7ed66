package dev.projectdashboard.bench.realtime;

import dev.projectdashboard.bench.EpochClock;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.ManagedProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The baseline: the stock socket.io v4 server (bench/src/main/node/socketio-server.js) in its own node process. It
 * publishes from its own timer on an HTTP trigger, so no broker sits between publisher and server — the comparison
 * gives socket.io the shorter path.
 */
final class SocketIoTarget implements Target {

    private final ManagedProcess process;
    private final int port;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ObjectMapper json = JsonMapper.builder().build();
    private final String version;

    private SocketIoTarget(ManagedProcess process, int port, String version) {
        this.process = process;
        this.port = port;
        this.version = version;
    }

    static SocketIoTarget start(Path nodeDir, int port, Path log) throws IOException, InterruptedException {
        Path script = nodeDir.resolve("socketio-server.js");
        Path module = nodeDir.resolve("node_modules/socket.io/package.json");
        if (!Files.isRegularFile(module)) {
            throw new IllegalStateException(
                    "socket.io is not installed in " + nodeDir + ": run (cd " + nodeDir + " && npm ci)");
        }
        String version = JsonMapper.builder()
                .build()
                .readTree(Files.readString(module))
                .path("version")
                .asString();
        ManagedProcess process = ManagedProcess.start(
                "node socket.io server",
                List.of("node", "--expose-gc", script.toString(), Integer.toString(port)),
                Map.of(),
                log);
        SocketIoTarget target = new SocketIoTarget(process, port, version);
        try {
            process.awaitReady(
                    target.http,
                    HttpRequest.newBuilder(target.control("/stats")).build(),
                    response -> response.statusCode() == 200,
                    Duration.ofSeconds(30));
        } catch (IOException | InterruptedException | RuntimeException e) {
            target.close();
            throw e;
        }
        return target;
    }

    String version() {
        return version;
    }

    private URI control(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Override
    public String label() {
        return "socket.io " + version + " (node " + nodeVersion() + ")";
    }

    static String nodeVersion() {
        try {
            Process node = new ProcessBuilder("node", "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(node.getInputStream().readAllBytes()).trim();
            node.waitFor();
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public LoadClients.Protocol protocol() {
        return LoadClients.Protocol.SOCKET_IO;
    }

    @Override
    public URI uri() {
        return URI.create("ws://127.0.0.1:" + port + "/");
    }

    @Override
    public Published publish(Mode mode, double rate, double seconds, int pad, int subscribers, int users)
            throws IOException, InterruptedException {
        String body = mode == Mode.BROADCAST
                ? String.format(
                        Locale.ROOT,
                        "{\"mode\":\"room\",\"room\":\"project:bench\",\"rate\":%s,\"seconds\":%s,\"pad\":%d}",
                        rate,
                        seconds,
                        pad)
                : String.format(
                        Locale.ROOT,
                        "{\"mode\":\"users\",\"prefix\":\"%s\",\"users\":%d,\"rate\":%s,\"seconds\":%s,\"pad\":%d}",
                        RealtimeBenchmark.USER_PREFIX,
                        users,
                        rate,
                        seconds,
                        pad);
        HttpResponse<String> started = http.send(
                HttpRequest.newBuilder(control("/publish"))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .header("Content-Type", "application/json")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() != 202) {
            throw new IllegalStateException(
                    "node POST /publish answered " + started.statusCode() + ": " + started.body());
        }
        JsonNode answer = json.readTree(started.body());
        long expected = answer.path("expected").asLong();
        long deadline =
                System.nanoTime() + Duration.ofSeconds((long) seconds + 60).toNanos();
        Thread.sleep((long) (seconds * 1000));
        while (System.nanoTime() < deadline) {
            JsonNode state = json.readTree(
                    http.send(HttpRequest.newBuilder(control("/publish")).build(), HttpResponse.BodyHandlers.ofString())
                            .body());
            if (!state.path("running").asBoolean()) {
                return new Published(state.path("sent").asLong(), 0, expected);
            }
            Thread.sleep(100); // the node process publishes on its own timer: poll it
        }
        throw new IllegalStateException("node still publishing " + (seconds + 60) + " s after the start");
    }

    /**
     * node's epoch clock minus ours, from the {@code GET /clock} round trip with the smallest RTT (its midpoint is
     * taken as the moment node read its clock): error ≤ half that RTT, a few tens of µs on loopback.
     */
    @Override
    public long clockOffsetMicros() throws IOException, InterruptedException {
        long bestRtt = Long.MAX_VALUE;
        long offset = 0;
        HttpRequest clock = HttpRequest.newBuilder(control("/clock")).build();
        for (int i = 0; i < 50; i++) {
            long before = EpochClock.micros();
            String body = http.send(clock, HttpResponse.BodyHandlers.ofString()).body();
            long after = EpochClock.micros();
            long theirs = json.readTree(body).path("epoch_us").asLong();
            if (after - before < bestRtt) {
                bestRtt = after - before;
                offset = theirs - (before + after) / 2;
            }
        }
        return offset;
    }

    @Override
    public Memory memory() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(control("/gc"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode stats = json.readTree(response.body());
        Thread.sleep(500);
        return new Memory(
                ProcessMemory.rss(process.pid()), stats.path("heap_used").asLong());
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
