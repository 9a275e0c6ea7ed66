package dev.projectdashboard.bench.deploynotifier;

import dev.projectdashboard.bench.EpochClock;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts source-002 {@code log_entry} webhooks to deploy-notifier as a CI runner would: JSON signed with
 * {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, over Reactor Netty's HTTP/1.1 client with a
 * pool of keep-alive connections on event loops of its own. Every body is distinct (deploy-notifier stores identical
 * bodies once): its {@code message} carries a sequence number and, for latency runs, {@code sent_us=<epoch µs>}
 * taken when the request is built, which {@link #stampedMicros} reads back from realtime-service's frame.
 */
final class WebhookSender implements AutoCloseable {

    static final String PATH = "/api/webhooks/deployment";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private static final byte[] STAMP = "sent_us=".getBytes(StandardCharsets.US_ASCII);
    private static final String DUPLICATE = "\"duplicate\":true";

    /** One answer: HTTP status (0 when none came), whether it was a duplicate, how long it took, what went wrong. */
    record Answer(int status, boolean duplicate, long nanos, String problem) {

        boolean accepted() {
            return status == 202 && !duplicate;
        }
    }

    private final String project;
    private final String[] deployments;
    private final JsonMapper json = JsonMapper.builder().build();
    private final ThreadLocal<Mac> macs;
    private final LoopResources loops;
    private final ConnectionProvider pool;
    private final HttpClient http;

    /**
     * @param deployments how many deployment ids the webhooks rotate over ({@code bench-run-0} …)
     * @param maxConnections keep-alive connections at most; further requests wait for one (open-loop runs keep
     *     their send time, so that wait counts as latency)
     */
    WebhookSender(URI server, String secret, String project, int deployments, int maxConnections, int eventLoops) {
        this.project = project;
        this.deployments = new String[deployments];
        for (int i = 0; i < deployments; i++) {
            this.deployments[i] = "bench-run-" + i;
        }
        this.macs = ThreadLocal.withInitial(() -> mac(secret));
        this.loops = LoopResources.create("bench-http", eventLoops, true);
        this.pool = ConnectionProvider.builder("deploy-webhooks")
                .maxConnections(maxConnections)
                .pendingAcquireMaxCount(-1)
                // a saturated service must show as latency, not as the client giving up on its own queue
                .pendingAcquireTimeout(Duration.ofSeconds(180))
                .build();
        this.http = HttpClient.create(pool)
                .runOn(loops)
                .baseUrl(server.toString())
                .keepAlive(true)
                .responseTimeout(Duration.ofSeconds(30));
    }

    /**
     * One webhook, built and signed on subscription; never errors (a failure is an {@link Answer} with status 0).
     *
     * @param stamped whether the message carries {@code sent_us=<epoch µs>} (the browser-latency runs)
     */
    Mono<Answer> post(long seq, boolean stamped) {
        return Mono.defer(() -> {
            long started = System.nanoTime();
            byte[] body = body(seq, stamped ? EpochClock.micros() : -1);
            String signature = signature(macs.get(), body);
            return http.post()
                    .uri(PATH)
                    .send((request, out) -> {
                        request.header(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                                .header(HttpHeaderNames.CONTENT_LENGTH, Integer.toString(body.length))
                                .header(SIGNATURE_HEADER, signature);
                        return out.sendByteArray(Mono.just(body));
                    })
                    .responseSingle((response, content) -> content.asString()
                            .defaultIfEmpty("")
                            .map(text -> {
                                int status = response.status().code();
                                return new Answer(
                                        status,
                                        status == 202 && text.contains(DUPLICATE),
                                        System.nanoTime() - started,
                                        status == 202 ? null : abbreviate(text));
                            }))
                    .onErrorResume(
                            error -> Mono.just(new Answer(0, false, System.nanoTime() - started, problem(error))));
        });
    }

    /** A source-002 {@code log_entry} for {@code project}, one of the deployments, unique by {@code seq}. */
    byte[] body(long seq, long sentMicros) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "log_entry");
        payload.put("project", project);
        payload.put("deployment_id", deployments[(int) (seq % deployments.length)]);
        payload.put("log_stream_id", "bench");
        payload.put(
                "timestamp", DateTimeFormatter.ISO_INSTANT.format(Instant.now().truncatedTo(ChronoUnit.MILLIS)));
        payload.put("level", "info");
        payload.put("message", "bench line " + seq + (sentMicros >= 0 ? " sent_us=" + sentMicros : ""));
        payload.put("source", "workflow");
        return json.writeValueAsBytes(payload);
    }

    /** {@code sha256=} and the lowercase hex HMAC-SHA256 of {@code body} under {@code secret}. */
    static String signature(String secret, byte[] body) {
        return signature(mac(secret), body);
    }

    private static String signature(Mac mac, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    private static Mac mac(String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    /**
     * The {@code sent_us=<digits>} a stamped webhook's message carries, wherever it sits in a frame (realtime-service
     * forwards the payload's fields verbatim inside {@code data}); -1 for any other frame.
     */
    static long stampedMicros(ByteBuf frame) {
        int end = frame.writerIndex();
        int last = end - STAMP.length;
        for (int at = frame.readerIndex(); at <= last; at++) {
            if (frame.getByte(at) != STAMP[0] || !matchesStamp(frame, at)) {
                continue;
            }
            long value = 0;
            int digits = 0;
            for (int i = at + STAMP.length; i < end && digits < 19; i++, digits++) {
                byte b = frame.getByte(i);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
            }
            return digits > 0 ? value : -1;
        }
        return -1;
    }

    private static boolean matchesStamp(ByteBuf frame, int at) {
        for (int k = 1; k < STAMP.length; k++) {
            if (frame.getByte(at + k) != STAMP[k]) {
                return false;
            }
        }
        return true;
    }

    private static String problem(Throwable error) {
        String message = error.getMessage();
        return error.getClass().getSimpleName() + (message == null ? "" : ": " + abbreviate(message));
    }

    private static String abbreviate(String text) {
        String line = text.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= 300 ? line : line.substring(0, 300) + "…";
    }

    @Override
    public void close() {
        pool.disposeLater().block(Duration.ofSeconds(10));
        loops.disposeLater().block(Duration.ofSeconds(10));
    }
}
