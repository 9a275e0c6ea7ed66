package dev.projectdashboard.pushservice.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A webhook endpoint on loopback for the tests: records every request (headers, body, arrival time) and answers with
 * the scripted responses in turn, then with the default one.
 */
final class WebhookSink implements AutoCloseable {

    /** One request as it arrived. */
    record Received(Instant at, String path, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }
    }

    /** An answer: status, extra headers, and a delay before it. */
    record Answer(int status, Map<String, String> headers, Duration delay) {

        static Answer status(int status) {
            return new Answer(status, Map.of(), Duration.ZERO);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Queue<Answer> script = new ConcurrentLinkedQueue<>();
    private volatile Answer fallback = Answer.status(200);
    private final LoopResources loops = LoopResources.create("webhook-sink", 1, true);
    private final DisposableServer server;

    WebhookSink() {
        this.server = HttpServer.create()
                .runOn(loops)
                .host("127.0.0.1")
                .port(0)
                .handle((request, response) -> request.receive()
                        .aggregate()
                        .asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("")
                        .flatMap(body -> {
                            Map<String, String> headers = new TreeMap<>();
                            request.requestHeaders()
                                    .forEach(header -> headers.put(
                                            header.getKey().toLowerCase(java.util.Locale.ROOT), header.getValue()));
                            received.add(new Received(Instant.now(), request.uri(), headers, body));
                            Answer answer = script.poll();
                            Answer chosen = answer != null ? answer : fallback;
                            return Mono.delay(chosen.delay()).then(Mono.defer(() -> {
                                chosen.headers().forEach(response::header);
                                return response.status(chosen.status())
                                        .header("Content-Type", "application/json")
                                        .sendString(Mono.just("{\"ok\":" + (chosen.status() < 300) + "}"))
                                        .then();
                            }));
                        }))
                .bindNow();
    }

    /** e.g. {@code http://127.0.0.1:PORT/hook}. */
    String url(String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    int port() {
        return server.port();
    }

    /** The next requests get these answers, in order. */
    WebhookSink answer(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    /** What every request gets once the script is used up. */
    WebhookSink otherwise(Answer answer) {
        this.fallback = answer;
        return this;
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    List<Received> received(String path) {
        return received.stream().filter(request -> request.path().equals(path)).toList();
    }

    @Override
    public void close() {
        server.disposeNow();
        loops.dispose();
    }
}
