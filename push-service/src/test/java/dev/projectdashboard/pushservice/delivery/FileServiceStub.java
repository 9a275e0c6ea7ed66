package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.starter.DevDefaults;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for file-service's {@code POST /internal/v1/files/download-url} (docs/file-service.md; file-service's own
 * tests prove it keeps that contract): a URL naming the task and file for a file called {@code frame_*}, 404 for any
 * other, 503 while unavailable. Records the requests.
 */
final class FileServiceStub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final LoopResources loops = LoopResources.create("file-service-stub", 1, true);
    private final DisposableServer server;
    private volatile boolean unavailable;

    FileServiceStub() {
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.post("/internal/v1/files/download-url", (request, response) -> request.receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .flatMap(text -> {
                            JsonNode body = JSON.readTree(text);
                            requests.add(body);
                            if (!DevDefaults.API_KEY.equals(
                                    request.requestHeaders().get("X-Api-Key"))) {
                                return response.status(401).send().then();
                            }
                            if (unavailable) {
                                return response.status(503).send().then();
                            }
                            String file = body.path("file").asString();
                            if (!file.startsWith("frame_")) {
                                return response.status(404).send().then();
                            }
                            String url = "http://files.example/"
                                    + body.path("task_id").asString() + "/" + file + "?expires="
                                    + body.path("expire_time").asLong();
                            return response.header("Content-Type", "application/json")
                                    .sendString(Mono.just("{\"download_url\":\"" + url + "\"}"))
                                    .then();
                        })))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    void unavailable(boolean unavailable) {
        this.unavailable = unavailable;
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
