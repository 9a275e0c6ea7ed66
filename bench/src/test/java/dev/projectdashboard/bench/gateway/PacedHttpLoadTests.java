package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class PacedHttpLoadTests {

    private final AtomicLong served = new AtomicLong();
    private final AtomicReference<String> authorization = new AtomicReference<>();
    private DisposableServer server;
    private PacedHttpLoad load;

    @BeforeEach
    void start() {
        server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/ok", (request, response) -> {
                            served.incrementAndGet();
                            authorization.set(request.requestHeaders().get("Authorization"));
                            return response.send(Mono.just(Unpooled.wrappedBuffer(UpstreamStub.body())));
                        })
                        .get("/busy", (request, response) -> response.status(503)
                                .sendString(Mono.just("busy")))
                        .get("/short", (request, response) -> response.sendString(Mono.just("{}")))
                        .get("/never", (request, response) -> Mono.never())
                        .get("/slow", (request, response) -> Mono.delay(Duration.ofMillis(50))
                                .then(response.send(Mono.just(Unpooled.wrappedBuffer(UpstreamStub.body())))
                                        .then())))
                .bindNow();
        load = new PacedHttpLoad();
    }

    @AfterEach
    void stop() {
        load.close();
        server.disposeNow();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    @Test
    void sendsEveryRequestAtItsRateAndTimesEachRightAnswer() throws Exception {
        PacedHttpLoad.Result result = load.run(
                uri("/ok"),
                Map.of("Authorization", "Bearer t"),
                1024,
                8,
                400,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5));

        assertThat(result.requests()).isEqualTo(400);
        assertThat(result.ok()).isEqualTo(400);
        assertThat(result.clean()).isTrue();
        assertThat(served.get()).isEqualTo(400);
        assertThat(authorization.get()).isEqualTo("Bearer t");
        assertThat(result.latency().getTotalCount()).isEqualTo(400);
        // each request either left on a free connection (its lag recorded) or waited for one
        assertThat(result.sendLag().getTotalCount() + result.waitedForConnection())
                .isEqualTo(400);
        // the last request is due 1 s − 1/400 s after the first: paced, not sent in a burst
        assertThat(result.seconds()).isBetween(0.99, 2.0);
        assertThat(result.okPerSecond()).isBetween(200.0, 410.0);
        assertThat(result.connectionsUsed()).isBetween(1, 8);
    }

    @Test
    void wrongStatusesAndBodiesAreErrorsNotLatencies() throws Exception {
        PacedHttpLoad.Result busy =
                load.run(uri("/busy"), Map.of(), 1024, 2, 100, Duration.ofMillis(200), Duration.ofSeconds(5));
        PacedHttpLoad.Result shortBody =
                load.run(uri("/short"), Map.of(), 1024, 2, 100, Duration.ofMillis(200), Duration.ofSeconds(5));

        assertThat(busy.ok()).isZero();
        assertThat(busy.errors()).containsEntry("HTTP 503", 20L);
        assertThat(busy.latency().getTotalCount()).isZero();
        assertThat(busy.clean()).isFalse();
        assertThat(shortBody.errors()).containsEntry("body of 2 bytes", 20L);
    }

    @Test
    void aSlowTargetShowsAsLatencyFromTheIntendedTimeNotAsASlowerRate() throws Exception {
        // one connection, a request due every 10 ms, each answered after 50 ms: request i waits for the i before it,
        // so its latency from its intended time is about 50 + 40 i ms (a closed loop would report 50 ms each)
        PacedHttpLoad.Result result =
                load.run(uri("/slow"), Map.of(), 1024, 1, 100, Duration.ofMillis(200), Duration.ofSeconds(5));

        assertThat(result.ok()).isEqualTo(20);
        assertThat(result.waitedForConnection()).isEqualTo(19);
        assertThat(result.sendLag().getTotalCount()).isEqualTo(1);
        assertThat(result.maxMs()).isBetween(750.0, 2000.0);
        assertThat(result.p50Ms()).isGreaterThan(300);
    }

    @Test
    void requestsStillUnansweredAfterTheDrainCountAsSuchWithTheirWaitAsLatency() throws Exception {
        // 2 connections, 20 requests: 2 in flight forever, 18 waiting for a connection that never frees
        PacedHttpLoad.Result result =
                load.run(uri("/never"), Map.of(), 1024, 2, 100, Duration.ofMillis(200), Duration.ofMillis(300));

        assertThat(result.ok()).isZero();
        assertThat(result.unanswered()).isEqualTo(20);
        assertThat(result.latency().getTotalCount()).isEqualTo(20);
        assertThat(result.p50Ms()).isGreaterThanOrEqualTo(300);
        assertThat(result.errorSummary()).isEqualTo("20 unanswered");
    }

    @Test
    void theRequestIsAPlainHttp11Get() {
        String request = new String(PacedHttpLoad.request(
                URI.create("http://127.0.0.1:8080/project-dashboard/api/v1/projects/bench?x=1"),
                Map.of("Authorization", "Bearer t")));

        assertThat(request)
                .isEqualTo("GET /project-dashboard/api/v1/projects/bench?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                        + "Authorization: Bearer t\r\n\r\n");
    }
}
