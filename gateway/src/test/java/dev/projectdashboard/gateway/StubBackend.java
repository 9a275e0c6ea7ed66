package dev.projectdashboard.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Stands in for one backend service: answers every HTTP request with headers saying which service saw which path,
 * query and X-Forwarded-Prefix, and echoes WebSocket text frames prefixed the same way (or refuses the upgrade when
 * asked to by {@link #REFUSE_UPGRADE}).
 */
final class StubBackend implements AutoCloseable {

    /** A query parameter that makes the stub refuse a WebSocket upgrade with a 401. */
    static final String REFUSE_UPGRADE = "stub-refuse-upgrade";

    private final String name;
    private final Queue<String> receivedPaths = new ConcurrentLinkedQueue<>();
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
                    return response.header("X-Stub-Service", name)
                            .header("X-Stub-Path", query < 0 ? uri : uri.substring(0, query))
                            .header("X-Stub-Query", query < 0 ? "" : uri.substring(query + 1))
                            .header(
                                    "X-Stub-Prefix",
                                    String.join(",", request.requestHeaders().getAll("X-Forwarded-Prefix")))
                            .header(
                                    "X-Stub-Authorization",
                                    String.valueOf(request.requestHeaders().get("Authorization")))
                            .sendString(Mono.just("ok"));
                })
                .bindNow();
    }

    String name() {
        return name;
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    List<String> receivedPaths() {
        return List.copyOf(receivedPaths);
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
