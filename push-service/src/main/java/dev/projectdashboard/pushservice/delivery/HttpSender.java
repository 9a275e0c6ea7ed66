package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.pushservice.webhook.EndpointGuard.Endpoint;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends one attempt with Reactor Netty over a shared connection pool, to the address the {@code EndpointGuard}
 * checked ({@link PinnedResolver}: the URL's host still names the request: {@code Host}, and SNI for https). Redirects are not followed (a
 * 3xx is the endpoint's answer). Never fails: a timeout or a connection error is a {@link Response} with its error.
 */
public final class HttpSender {

    /** How much of a response body is kept for the push log. */
    static final int RESPONSE_BODY_LIMIT = 4096;

    /** One attempt to send. */
    public record Request(Endpoint endpoint, Map<String, String> headers, byte[] body, Duration timeout) {}

    /**
     * What came back: a status, headers and the start of the body, or the error that stopped it.
     *
     * @param status {@code null} when no answer came
     */
    public record Response(
            Integer status, Map<String, String> headers, String body, long durationMs, Throwable error) {}

    private final HttpClient client;
    private final PinnedResolver addresses = new PinnedResolver();

    public HttpSender(int maxConnections, Duration maxIdleTime) {
        this.client = HttpClient.create(ConnectionProvider.builder("webhooks")
                        .maxConnections(maxConnections)
                        .pendingAcquireMaxCount(-1)
                        .maxIdleTime(maxIdleTime)
                        .evictInBackground(maxIdleTime)
                        .build())
                .resolver(addresses)
                .followRedirect(false)
                .keepAlive(true);
    }

    public Mono<Response> send(Request request) {
        Endpoint endpoint = request.endpoint();
        long started = System.nanoTime();
        addresses.pin(endpoint.uri().getHost(), endpoint.address());
        int connectMillis = (int) Math.min(request.timeout().toMillis(), 10_000);
        return client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectMillis)
                .responseTimeout(request.timeout())
                .headers(headers -> request.headers().forEach(headers::set))
                .post()
                .uri(endpoint.uri().toString())
                .send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(request.body())))
                .response((response, content) -> content.asByteArray()
                        .collect(ByteArrayOutputStream::new, (kept, chunk) -> {
                            int room = RESPONSE_BODY_LIMIT - kept.size();
                            if (room > 0) {
                                kept.write(chunk, 0, Math.min(room, chunk.length));
                            }
                        })
                        .map(kept -> {
                            Map<String, String> headers = new LinkedHashMap<>();
                            response.responseHeaders()
                                    .forEach(header -> headers.merge(
                                            header.getKey(), header.getValue(), (first, next) -> first + ", " + next));
                            return new Response(
                                    response.status().code(),
                                    headers,
                                    kept.toString(StandardCharsets.UTF_8),
                                    elapsed(started),
                                    null);
                        }))
                .next()
                .timeout(
                        request.timeout(),
                        Mono.error(() -> new TimeoutException(
                                "No complete answer within " + request.timeout().toMillis() + " ms")))
                .onErrorResume(error -> Mono.just(failed(error, started)));
    }

    private static Response failed(Throwable error, long started) {
        return new Response(null, Map.of(), null, elapsed(started), error);
    }

    private static long elapsed(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
