package dev.projectdashboard.bench.gateway;

import dev.projectdashboard.bench.ManagedProcess;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The upstream every target ends at: a Reactor Netty server in a JVM of its own that answers {@code GET }{@link #PATH}
 * with the same 1 KB JSON body ({@link #body()}) and 404 to anything else, so a proxy that rewrote the path wrongly
 * shows as errors. It does nothing else: what a target adds on top of it is the target's own cost.
 */
final class UpstreamStub {

    /** The backend path: deploy-notifier's, which the gateway routes from /project-dashboard/api/v1/projects/**. */
    static final String PATH = "/api/v1/projects/bench";

    static final int BODY_BYTES = 1024;

    private UpstreamStub() {}

    /** {@code java … UpstreamStub <port>}: serves until the process is stopped. */
    public static void main(String[] args) {
        int port = Integer.parseInt(args[0]);
        ByteBuf body =
                Unpooled.unreleasableBuffer(Unpooled.directBuffer(BODY_BYTES).writeBytes(body()));
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(routes -> routes.get(
                        PATH, (request, response) -> response.header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(BODY_BYTES))
                                .send(Mono.just(body.duplicate()))))
                .bindNow(Duration.ofSeconds(30));
        System.out.println("upstream stub listening on 127.0.0.1:" + server.port() + PATH);
        server.onDispose().block();
    }

    /** Exactly {@value #BODY_BYTES} bytes of JSON: a project as deploy-notifier might list it, padded. */
    static byte[] body() {
        String head = "{\"project\":\"bench\",\"status\":\"ok\",\"description\":\"";
        String tail = "\"}";
        char[] padding = new char[BODY_BYTES - head.length() - tail.length()];
        Arrays.fill(padding, 'x');
        return (head + new String(padding) + tail).getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts the stub as its own JVM with this JVM's class path and waits until it answers {@link #PATH}. */
    static ManagedProcess start(List<String> jvmOptions, int port, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        String logback = System.getProperty("logback.configurationFile");
        if (logback != null) {
            command.add("-Dlogback.configurationFile=" + logback);
        }
        command.addAll(List.of(
                "-cp", System.getProperty("java.class.path"), UpstreamStub.class.getName(), Integer.toString(port)));
        ManagedProcess process = ManagedProcess.start("upstream stub", command, Map.of(), log);
        try {
            process.awaitReady(
                    HttpClient.newHttpClient(),
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    response -> response.statusCode() == 200 && response.body().length() == BODY_BYTES,
                    Duration.ofSeconds(60));
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.close();
            throw e;
        }
        return process;
    }

    /** Whether a probe through a target got the stub's answer. */
    static boolean isStubAnswer(HttpResponse<byte[]> response) {
        return response.statusCode() == 200 && Arrays.equals(response.body(), body());
    }
}
