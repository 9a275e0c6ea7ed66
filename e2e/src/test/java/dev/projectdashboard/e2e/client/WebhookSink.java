package dev.projectdashboard.e2e.client;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A downstream webhook receiver (source 003's ERP) on loopback: answers every POST 200 and keeps what it received.
 * Loopback is what push-service's {@code PUSH_ALLOWED_PRIVATE_NETWORKS} opens in a local run.
 */
public final class WebhookSink implements AutoCloseable {

    /** One request as it arrived. */
    public record Received(String path, HttpHeaders headers, byte[] body) {

        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }
    }

    private final HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();

    private WebhookSink(HttpServer server) {
        this.server = server;
    }

    public static WebhookSink start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookSink sink = new WebhookSink(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    Map<String, List<String>> headers = exchange.getRequestHeaders();
                    sink.received.add(new Received(
                            exchange.getRequestURI().getPath(), HttpHeaders.of(headers, (name, value) -> true), body));
                    exchange.sendResponseHeaders(200, -1);
                }
            });
            server.start();
            return sink;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the webhook sink", e);
        }
    }

    /** The URL to register: {@code http://127.0.0.1:<port><path>}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    /** The first request that matches, waiting up to {@code wait} for it. */
    public Received await(Predicate<Received> match, Duration wait) {
        try {
            return Awaitility.await()
                    .atMost(wait)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> received.stream().filter(match).findFirst(), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("The webhook sink got no matching request within " + wait + "; it got: "
                    + received.stream()
                            .map(r -> r.path() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8))
                            .collect(Collectors.joining("; ")));
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
