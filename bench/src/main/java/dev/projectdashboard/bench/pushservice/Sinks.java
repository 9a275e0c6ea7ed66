package dev.projectdashboard.bench.pushservice;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The webhook endpoints push-service delivers to, HTTP/1.1 servers in this JVM on loopback: {@code healthy} sinks that
 * read each request and answer 200 with an empty body at once, and one dead sink that accepts the connection, reads
 * the request and never answers. Each healthy arrival goes to a {@link Listener} with the body and the time it was
 * read. The healthy sinks run on Reactor Netty (their own event loops) or on the JDK's {@code HttpServer} (one
 * dispatcher thread); the dead sink always on Reactor Netty, where a request left unanswered holds no thread.
 */
final class Sinks implements AutoCloseable {

    /** Which server answers the healthy sinks. */
    enum Server {
        NETTY,
        JDK;

        static Server of(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    /** Where a healthy sink hands each request it answered. */
    @FunctionalInterface
    interface Listener {
        void arrived(int sink, byte[] body, long nanos);
    }

    /** The first request a healthy sink received: its headers and body, for the reference load and the checks. */
    record Captured(Map<String, String> headers, byte[] body) {}

    private final Server server;
    private final LoopResources loops;
    private final List<DisposableServer> nettyServers = new ArrayList<>();
    private final List<com.sun.net.httpserver.HttpServer> jdkServers = new ArrayList<>();
    private final List<URI> healthy = new ArrayList<>();
    private final URI dead;
    private final LongAdder[] requests;
    /** Client addresses seen per healthy sink since {@link #resetConnections()}: the connections used. */
    private final List<Set<SocketAddress>> clients = new ArrayList<>();

    private final LongAdder deadRequests = new LongAdder();
    private final LongAdder deadConnections = new LongAdder();
    private final AtomicReference<Captured> captured = new AtomicReference<>();
    private volatile Listener listener = (sink, body, nanos) -> {};

    Sinks(Server server, int count, int threads) throws IOException {
        this.server = server;
        this.loops = LoopResources.create("bench-sink", threads, true);
        this.requests = new LongAdder[count];
        for (int i = 0; i < count; i++) {
            requests[i] = new LongAdder();
            clients.add(ConcurrentHashMap.newKeySet());
            healthy.add(server == Server.NETTY ? nettyHealthy(i) : jdkHealthy(i));
        }
        DisposableServer deadServer = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .doOnConnection(connection -> deadConnections.increment())
                .handle((request, response) -> {
                    deadRequests.increment();
                    // read the request, then hold the connection without a word until the client gives up
                    return request.receive().then(Mono.never());
                })
                .bindNow(Duration.ofSeconds(10));
        nettyServers.add(deadServer);
        this.dead = URI.create("http://127.0.0.1:" + deadServer.port() + "/hooks/dead");
    }

    private URI nettyHealthy(int sink) {
        DisposableServer bound = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .runOn(loops)
                .handle((request, response) -> request.receive()
                        .aggregate()
                        .asByteArray()
                        .defaultIfEmpty(new byte[0])
                        .flatMap(body -> {
                            long now = System.nanoTime();
                            record(sink, request.remoteAddress(), body, now, () -> {
                                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                                request.requestHeaders().forEach(h -> headers.put(h.getKey(), h.getValue()));
                                return headers;
                            });
                            return response.status(HttpResponseStatus.OK)
                                    .header(HttpHeaderNames.CONTENT_LENGTH, "0")
                                    .send();
                        }))
                .bindNow(Duration.ofSeconds(10));
        nettyServers.add(bound);
        return URI.create("http://127.0.0.1:" + bound.port() + "/hooks/" + sink);
    }

    private URI jdkHealthy(int sink) throws IOException {
        com.sun.net.httpserver.HttpServer bound =
                com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        bound.createContext("/", exchange -> {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            long now = System.nanoTime();
            record(sink, exchange.getRemoteAddress(), body, now, () -> {
                Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
                exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
                return headers;
            });
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        // one dispatcher thread runs the handlers: the cheapest the JDK server gets
        bound.setExecutor(null);
        bound.start();
        jdkServers.add(bound);
        return URI.create("http://127.0.0.1:" + bound.getAddress().getPort() + "/hooks/" + sink);
    }

    private void record(
            int sink, SocketAddress client, byte[] body, long nanos, Supplier<Map<String, String>> headers) {
        requests[sink].increment();
        clients.get(sink).add(client);
        if (captured.get() == null) {
            captured.compareAndSet(null, new Captured(headers.get(), body));
        }
        listener.arrived(sink, body, nanos);
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    Server server() {
        return server;
    }

    List<URI> healthy() {
        return healthy;
    }

    URI dead() {
        return dead;
    }

    /** Requests the healthy sinks answered so far, all of them. */
    long requests() {
        long sum = 0;
        for (LongAdder count : requests) {
            sum += count.sum();
        }
        return sum;
    }

    long deadRequests() {
        return deadRequests.sum();
    }

    long deadConnections() {
        return deadConnections.sum();
    }

    /** Forgets the connections seen so far. */
    void resetConnections() {
        clients.forEach(Set::clear);
    }

    /** Connections (client address and port) that sent the healthy sinks requests since the last reset, per sink. */
    List<Integer> connections() {
        return clients.stream().map(Set::size).toList();
    }

    /** The first request a healthy sink received, null before any. */
    Captured captured() {
        return captured.get();
    }

    /** Forgets the captured request, so the next one is kept. */
    void recapture() {
        captured.set(null);
    }

    @Override
    public void close() {
        nettyServers.forEach(bound -> bound.disposeNow(Duration.ofSeconds(5)));
        jdkServers.forEach(bound -> bound.stop(0));
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
