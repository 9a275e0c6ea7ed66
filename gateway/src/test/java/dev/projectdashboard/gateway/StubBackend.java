package dev.projectdashboard.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Stands in for one backend service: reads each HTTP request's body, counting its bytes, and answers with headers
 * saying which service saw which path, query, X-Forwarded-Prefix and how many body bytes; echoes WebSocket text frames
 * prefixed the same way (or refuses the upgrade when asked to by {@link #REFUSE_UPGRADE}).
 */
final class StubBackend implements AutoCloseable {

    /** A query parameter that makes the stub refuse a WebSocket upgrade with a 401. */
    static final String REFUSE_UPGRADE = "stub-refuse-upgrade";

    private final String name;
    private final Queue<String> receivedPaths = new ConcurrentLinkedQueue<>();
    private final AtomicLong receivedBodyBytes = new AtomicLong();
    private final DisposableServer server;

    StubBackend(String name) {
        this.name = name;
        this.server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> {
                    String uri = request.uri();
                    receivedPaths.add(uri);
                    if (request.requestHeaders()
                            .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
                        if (uri.contains(REFUSE_UPGRADE)) {
                            // as realtime-service refuses a handshake it will not serve, before upgrading
                            return response.status(401)
                                    .header("Content-Type", "application/problem+json")
                                    .sendString(Mono.just("{\"status\":401}"));
                        }
                        return response.sendWebsocket((in, out) ->
                                out.sendString(in.receive().asString().map(text -> name + " " + uri + " " + text)));
                    }
                    if (uri.equals("/actuator/health/readiness")) {
                        return response.header("Content-Type", "application/json")
                                .sendString(Mono.just("{\"status\":\"UP\"}"));
                    }
                    int query = uri.indexOf('?');
                    // the body is read (and counted) before the answer, as a service reads an upload
                    return request.receive()
                            .map(ByteBuf::readableBytes)
                            .reduce(0L, (total, bytes) -> {
                                receivedBodyBytes.addAndGet(bytes);
                                return total + bytes;
                            })
                            .flatMap(bodyBytes -> response.header("X-Stub-Service", name)
                                    .header("X-Stub-Path", query < 0 ? uri : uri.substring(0, query))
                                    .header("X-Stub-Query", query < 0 ? "" : uri.substring(query + 1))
                                    .header(
                                            "X-Stub-Prefix",
                                            String.join(
                                                    ",",
                                                    request.requestHeaders().getAll("X-Forwarded-Prefix")))
                                    .header(
                                            "X-Stub-Authorization",
                                            String.valueOf(
                                                    request.requestHeaders().get("Authorization")))
                                    .header("X-Stub-Body-Bytes", Long.toString(bodyBytes))
                                    .sendString(Mono.just("ok"))
                                    .then());
                })
                .bindNow();
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Request body bytes read so far, over all requests, counted as they arrive. */
    long receivedBodyBytes() {
        return receivedBodyBytes.get();
    }

    List<String> receivedPaths() {
        return List.copyOf(receivedPaths);
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
