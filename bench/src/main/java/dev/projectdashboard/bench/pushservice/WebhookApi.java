package dev.projectdashboard.bench.pushservice;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** push-service's registrations API as an administrator calls it ({@code /api/v1/webhooks}, admin JWT). */
final class WebhookApi {

    /** A registered webhook: its id and its signing secret (shown this once). */
    record Registered(String id, String secret) {}

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final URI base;
    private final String adminToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    WebhookApi(URI base, String adminToken) {
        this.base = base;
        this.adminToken = adminToken;
    }

    /**
     * Registers a webhook for {@code task.completed} at {@code url}, with the default template, retry schedule and
     * no auth.
     *
     * @param timeoutSeconds the webhook's {@code timeout}
     */
    Registered register(String name, URI url, int timeoutSeconds) throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("url", url.toString());
        body.put("event_types", List.of("task.completed"));
        body.put("timeout", timeoutSeconds);
        HttpResponse<String> response = http.send(
                request("/api/v1/webhooks")
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(
                    "registering " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode created = JSON.readTree(response.body());
        String id = created.path("id").asString("");
        String secret = created.path("secret").asString("");
        if (id.isEmpty() || secret.isEmpty()) {
            throw new IllegalStateException("registering " + url + " answered " + response.body());
        }
        return new Registered(id, secret);
    }

    /** Deletes a webhook (its deliveries and their history go with it). */
    void delete(String id) throws IOException, InterruptedException {
        HttpResponse<String> response =
                http.send(request("/api/v1/webhooks/" + id).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 204) {
            throw new IllegalStateException(
                    "deleting webhook " + id + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + adminToken);
    }
}
