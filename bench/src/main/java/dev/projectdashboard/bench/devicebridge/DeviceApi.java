package dev.projectdashboard.bench.devicebridge;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * device-bridge's device registry API as an administrator calls it ({@code POST /api/v1/devices},
 * {@code GET /api/v1/devices/{id}/uploads/{request_id}}), directly or through the gateway: {@code base} is what
 * precedes {@code /api/v1/devices}.
 */
final class DeviceApi {

    private final String base;
    private final String adminToken;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    DeviceApi(String base, String adminToken) {
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.adminToken = adminToken;
    }

    /** Registers {@code deviceId} and returns its broker password ({@code mqtt_password}, shown this once). */
    CompletableFuture<String> register(String deviceId, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("device_id", deviceId);
        body.put("name", name);
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(SourceMessages.JSON.writeValueAsBytes(body)))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 201) {
                throw new IllegalStateException(
                        "registering " + deviceId + " answered " + response.statusCode() + ": " + response.body());
            }
            JsonNode created = SourceMessages.JSON.readTree(response.body());
            String username = created.path("mqtt_username").asString("");
            String password = created.path("mqtt_password").asString("");
            if (!username.equals(deviceId) || password.isEmpty()) {
                throw new IllegalStateException("registering " + deviceId + " answered " + response.body());
            }
            return password;
        });
    }

    /** Registers every id, {@code inFlight} at a time; the passwords in the same order. */
    List<String> registerAll(List<String> deviceIds, String namePrefix, int inFlight, Duration within) {
        String[] passwords = new String[deviceIds.size()];
        Flux.range(0, deviceIds.size())
                .flatMap(
                        i -> Mono.fromFuture(() -> register(deviceIds.get(i), namePrefix + " " + deviceIds.get(i)))
                                .doOnNext(password -> passwords[i] = password),
                        inFlight)
                .then()
                .block(within);
        return new ArrayList<>(List.of(passwords));
    }

    /** The upload record of one request ({@code status}, {@code verified} …), or null while there is none (404). */
    JsonNode upload(String deviceId, String requestId) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(base + "/api/v1/devices/" + deviceId + "/uploads/" + requestId))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + adminToken)
                .GET()
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 404) {
            return null;
        }
        if (response.statusCode() != 200) {
            throw new IllegalStateException("upload " + requestId + " of " + deviceId + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return SourceMessages.JSON.readTree(response.body());
    }
}
