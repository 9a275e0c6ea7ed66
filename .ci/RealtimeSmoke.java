import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * CI smoke flow for realtime-service through the gateway: a browser-like WebSocket client subscribes to a task
 * channel, a backend publishes through the server API, the frame arrives. Run with the JDK's source launcher:
 * {@code java .ci/RealtimeSmoke.java http://localhost:8080/project-dashboard <token of user smoke-user> <api key>};
 * the task is smoke-user's (its events carry that user_id), so only they and admins may read it.
 */
public class RealtimeSmoke {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        String apiKey = args[2];
        String task = "smoke-" + System.currentTimeMillis();
        BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newHttpClient();
        WebSocket ws = http.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .buildAsync(URI.create(base.replaceFirst("^http", "ws") + "/ws?token=" + token), new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            frames.add(text.toString());
                            text.setLength(0);
                        }
                        socket.request(1);
                        return null;
                    }
                })
                .get(10, TimeUnit.SECONDS);
        expect(frames, "\"connection:established\"", "no connection:established");
        ws.sendText("{\"event\":\"subscribe\",\"data\":{\"task_id\":\"" + task + "\"}}", true);
        expect(frames, "\"subscribed\"", "no subscribed answer");
        String body = "{\"channel\":\"task:" + task + "\",\"type\":\"task.progress\",\"data\":{\"task_id\":\"" + task
                + "\",\"user_id\":\"smoke-user\",\"progress\":42,\"message\":\"smoke\"}}";
        HttpResponse<String> published = http.send(
                HttpRequest.newBuilder(URI.create(base + "/api/v1/realtime/publish"))
                        .header("Content-Type", "application/json")
                        .header("X-Api-Key", apiKey)
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (published.statusCode() / 100 != 2) {
            fail("publish answered " + published.statusCode() + ": " + published.body());
        }
        String frame = expect(frames, "\"task:progress\"", "the published task:progress never arrived");
        if (!frame.contains("\"progress\":42") || !frame.contains(task)) {
            fail("unexpected frame: " + frame);
        }
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        System.out.println("ok   gateway -> realtime-service WebSocket subscribe, publish API -> stream -> frame");
    }

    private static String expect(BlockingQueue<String> frames, String marker, String failure) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            String frame = frames.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (frame != null && frame.contains(marker)) {
                return frame;
            }
        }
        fail(failure);
        return null;
    }

    private static void fail(String message) {
        System.err.println("SMOKE FAILED: " + message);
        System.exit(1);
    }
}
