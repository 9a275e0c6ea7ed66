package dev.projectdashboard.e2e.client;

import dev.projectdashboard.e2e.suite.RunningSuite;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A browser's native WebSocket ({@code /project-dashboard/ws?token=}) through the gateway: every frame the server sends
 * is kept, in order, for the test to look for.
 */
public final class EventSocket implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(30);

    private final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> closed = new CompletableFuture<>();
    private WebSocket socket;

    private EventSocket() {}

    /** Opens the socket and waits for {@code connection:established}. */
    public static EventSocket open(RunningSuite suite, String token) {
        EventSocket events = new EventSocket();
        try {
            events.socket = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(suite.webSocket(token), events.new Listener())
                    .get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError("The WebSocket through the gateway did not open", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        events.await("connection:established", frame -> true);
        return events;
    }

    /** Subscribes to a channel and waits until the server says it is subscribed. */
    public void subscribe(String channel) {
        ObjectNode frame = Json.object().put("event", "subscribe");
        frame.putObject("data").put("channel", channel);
        socket.sendText(frame.toString(), true).join();
        await(
                "subscribed",
                subscribed ->
                        channel.equals(subscribed.path("data").path("channel").asString("")));
    }

    /**
     * The first frame of this event that matches, waiting up to {@link #WAIT} for it. An {@code error} frame or a
     * closed socket ends the wait at once, with every frame received in the message.
     */
    public JsonNode await(String event, Predicate<JsonNode> match) {
        Predicate<JsonNode> wanted = frame -> event.equals(frame.path("event").asString("")) && match.test(frame);
        try {
            return Awaitility.await()
                    .atMost(WAIT)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> find(wanted, event), Optional::isPresent)
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("No matching '" + event + "' frame within " + WAIT + "; received:\n" + received());
        }
    }

    /** Every frame received so far, oldest first. */
    public List<JsonNode> frames() {
        return List.copyOf(frames);
    }

    private Optional<JsonNode> find(Predicate<JsonNode> wanted, String event) {
        Optional<JsonNode> found = frames.stream().filter(wanted).findFirst();
        if (found.isPresent()) {
            return found;
        }
        frames.stream()
                .filter(frame -> "error".equals(frame.path("event").asString("")))
                .findFirst()
                .ifPresent(error -> {
                    throw new AssertionError("The server answered an error while waiting for '" + event + "': " + error
                            + "\nreceived:\n" + received());
                });
        if (closed.isDone()) {
            throw new AssertionError("The WebSocket closed (" + closed.join() + ") while waiting for '" + event
                    + "'; received:\n" + received());
        }
        return Optional.empty();
    }

    private String received() {
        return frames.stream().map(JsonNode::toString).collect(Collectors.joining("\n  ", "  ", ""));
    }

    @Override
    public void close() {
        if (!closed.isDone()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").exceptionally(e -> null);
        }
    }

    private final class Listener implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                frames.add(Json.parse(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete("error: " + error);
        }
    }
}
