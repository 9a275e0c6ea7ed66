package dev.projectdashboard.localstack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The device registry's authentication endpoint as the broker sees it: answers by username, as set by the test, and
 * keeps every request it got. A wrong API key gets a 401.
 */
final class StubAuthEndpoint implements AutoCloseable {

    static final String API_KEY = "stub-api-key";

    /** What the endpoint answers for one username. */
    record Answer(int status, String body) {

        static Answer allow(String acl) {
            return new Answer(200, "{\"result\": \"allow\", \"is_superuser\": false, \"acl\": " + acl + "}");
        }

        static Answer superuser() {
            return new Answer(200, "{\"result\": \"allow\", \"is_superuser\": true}");
        }

        static Answer result(String result) {
            return new Answer(200, "{\"result\": \"" + result + "\"}");
        }
    }

    private final JsonMapper json = JsonMapper.builder().build();
    private final HttpServer server;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();

    StubAuthEndpoint() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/mqtt/auth", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/mqtt/auth");
    }

    void answer(String username, Answer answer) {
        answers.put(username, answer);
    }

    List<JsonNode> requests() {
        return requests;
    }

    List<JsonNode> requestsFor(String username) {
        return requests.stream()
                .filter(request -> request.path("username").asString("").equals(username))
                .toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = json.readTree(exchange.getRequestBody().readAllBytes());
            requests.add(request);
            Answer answer;
            if (!"POST".equals(exchange.getRequestMethod())
                    || !"application/json".equals(exchange.getRequestHeaders().getFirst("Content-Type"))
                    || !API_KEY.equals(exchange.getRequestHeaders().getFirst("X-Api-Key"))) {
                answer = new Answer(401, "{}");
            } else {
                answer = answers.getOrDefault(request.path("username").asString(""), Answer.result("deny"));
            }
            byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
