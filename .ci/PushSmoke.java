import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * CI smoke flow for push-service through the gateway (source 003): an admin registers a webhook with source 003's
 * template and basic auth, a backend publishes a task.completed through the realtime server API, the webhook's
 * endpoint (an HTTP server in this process on 127.0.0.1, which local runs may reach) gets the rendered body with
 * X-IDP-Signature = sha256=<hex HMAC of the body> under the secret the registration answered, and the push log shows
 * the attempt. Run with the JDK's source launcher:
 * {@code java .ci/PushSmoke.java http://localhost:8080/project-dashboard <admin token> <api key>}.
 */
public class PushSmoke {

    record Received(Map<String, String> headers, String body) {}

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        String apiKey = args[2];
        String task = "smoke-push-" + System.currentTimeMillis();
        BlockingQueue<Received> received = new LinkedBlockingQueue<>();
        HttpServer sink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sink.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
            received.add(new Received(headers, body));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        sink.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            String template = "{\\\"task_id\\\": \\\"{{task_id}}\\\", \\\"data\\\": {{result_json}},"
                    + " \\\"file_url\\\": \\\"{{file_url}}\\\", \\\"metadata\\\": {{meta_info}}}";
            String registration = "{\"name\":\"smoke\",\"url\":\"http://127.0.0.1:" + sink.getAddress().getPort()
                    + "/hook\",\"event_types\":[\"task.completed\"],\"subject_prefix\":\"task:" + task + "\","
                    + "\"body_template\":\"" + template + "\",\"auth_type\":\"basic\","
                    + "\"auth_config\":{\"username\":\"api_user\",\"password\":\"smoke-password\"}}";
            HttpResponse<String> created = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks"))
                            .header("Authorization", "Bearer " + admin)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(registration))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            check(created.statusCode() == 201, "registration answered " + created.statusCode() + " " + created.body());
            String id = field(created.body(), "id");
            String secret = field(created.body(), "secret");
            check(!created.body().contains("smoke-password"), "the registration answer shows the password");

            String event = "{\"channel\":\"task:" + task + "\",\"type\":\"task.completed\",\"data\":{\"task_id\":\""
                    + task + "\",\"user_id\":\"smoke-user\",\"result_files\":[],\"render_time\":1.5,\"cost\":0.2,"
                    + "\"result_json\":{\"invoice_number\":\"INV-2025-001\",\"amount\":1000.0},"
                    + "\"meta_info\":{\"file_name\":\"invoice.pdf\",\"page_count\":3}}}";
            HttpResponse<String> published = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/realtime/publish"))
                            .header("X-Api-Key", apiKey)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(event))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            check(published.statusCode() == 200, "publish answered " + published.statusCode() + " " + published.body());

            Received request = received.poll(30, TimeUnit.SECONDS);
            check(request != null, "the webhook got nothing within 30 s");
            check(request.body().contains("\"task_id\": \"" + task + "\""), "body: " + request.body());
            check(request.body().contains("\"invoice_number\":\"INV-2025-001\""), "body: " + request.body());
            check(request.body().contains("\"page_count\":3"), "body: " + request.body());
            String expected = "sha256=" + hmac(secret, request.body());
            check(expected.equals(request.headers().get("X-IDP-Signature")),
                    "X-IDP-Signature " + request.headers().get("X-IDP-Signature") + " is not " + expected);
            check(("Basic " + Base64.getEncoder().encodeToString("api_user:smoke-password".getBytes(StandardCharsets.UTF_8)))
                    .equals(request.headers().get("Authorization")), "no basic auth");
            check(request.headers().getOrDefault("webhook-id", "").startsWith("msg_"), "no webhook-id");

            String logs = "";
            for (int i = 0; i < 50 && !logs.contains("\"success\":true"); i++) {
                logs = http.send(
                                HttpRequest.newBuilder(URI.create(base + "/api/v1/push/logs?task_id=" + task))
                                        .header("Authorization", "Bearer " + admin)
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body();
                if (!logs.contains("\"success\":true")) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
            }
            check(logs.contains("\"success\":true") && logs.contains("\"http_status\":200"), "push log: " + logs);
            check(!logs.contains("smoke-password"), "the push log shows the password");
            http.send(
                    HttpRequest.newBuilder(URI.create(base + "/api/v1/webhooks/" + id))
                            .header("Authorization", "Bearer " + admin)
                            .DELETE()
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
        } finally {
            sink.stop(0);
        }
    }

    private static String field(String json, String name) {
        Matcher matcher = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        check(matcher.find(), "no " + name + " in " + json);
        return matcher.group(1);
    }

    private static String hmac(String secret, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            System.err.println("push smoke: " + message);
            System.exit(1);
        }
    }
}
