package dev.projectdashboard.e2e.client;

import dev.projectdashboard.e2e.suite.RunningSuite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** HTTP through the gateway, as browsers, backends and CI pipelines reach the suite: nothing but public paths. */
public final class Gateway {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final RunningSuite suite;
    private final HttpClient http;

    public Gateway(RunningSuite suite) {
        this.suite = suite;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** An answer: status, body as JSON (or the text as a string node), headers. */
    public record Answer(int status, JsonNode body, HttpHeaders headers) {

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    public Answer get(String path, String token) {
        return send(request(path).header("Authorization", "Bearer " + token).GET());
    }

    public Answer post(String path, String token, JsonNode body) {
        return send(request(path)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))));
    }

    /** A backend's call to a server API: {@code X-Api-Key}, no user. */
    public Answer postAsBackend(String path, JsonNode body) {
        return send(request(path)
                .header("X-Api-Key", suite.apiKey())
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body))));
    }

    /** A browser's file upload: {@code multipart/form-data} with one part {@code file}, as a form sends it. */
    public Answer upload(String taskId, String filename, String contentType, byte[] content, String token) {
        String boundary = "----e2e" + UUID.randomUUID().toString().replace("-", "");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        write(
                body,
                "--" + boundary + "\r\n"
                        + "Content-Disposition: form-data; name=\"file\"; filename=\"" + filename + "\"\r\n"
                        + "Content-Type: " + contentType + "\r\n\r\n");
        body.writeBytes(content);
        write(body, "\r\n--" + boundary + "--\r\n");
        return send(request("/api/v1/files/upload?task_id=" + taskId)
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A request built by the caller (its own headers and body) to a path below the prefix. */
    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(suite.url(path)).timeout(TIMEOUT);
    }

    public Answer send(HttpRequest.Builder request) {
        HttpResponse<String> response = exchange(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), Json.parse(response.body()), response.headers());
    }

    /** The bytes at a URL outside the gateway: a presigned object storage URL the suite handed out. */
    public byte[] fetch(URI url) {
        HttpResponse<byte[]> response = exchange(
                HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    /** A PUT to a presigned URL the suite handed out, with the headers it said to send. */
    public int put(HttpRequest.Builder request) {
        return exchange(request.timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during " + request.method() + " " + request.uri(), e);
        }
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
