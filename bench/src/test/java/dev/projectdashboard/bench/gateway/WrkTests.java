package dev.projectdashboard.bench.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.Unpooled;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class WrkTests {

    @TempDir
    Path dir;

    @Test
    void theScriptSendsTheHeadersAndPrintsTheTotalsOnOneLine() {
        String lua = Wrk.script(Map.of("Authorization", "Bearer abc.def.ghi"));

        assertThat(lua).contains("wrk.headers[\"Authorization\"] = \"Bearer abc.def.ghi\"");
        assertThat(lua).contains("done = function(summary, latency, requests)").contains("BENCH requests=");
        assertThatThrownBy(() -> Wrk.script(Map.of("X", "a\"b"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheTotalsLine() {
        String output =
                """
                Running 10s test @ http://127.0.0.1:1/
                  1 threads and 64 connections
                BENCH requests=123456 duration_us=10002000 bytes=150000000 connect=0 read=2 write=0 status=5 \
                timeout=1 p50_us=1234 p99_us=5678 max_us=91011
                """;

        Wrk.Result result = Wrk.parse(output).orElseThrow();

        assertThat(result.requests()).isEqualTo(123456);
        assertThat(result.seconds()).isEqualTo(10.002);
        assertThat(result.requestsPerSecond()).isCloseTo(12343.1, org.assertj.core.data.Offset.offset(0.1));
        assertThat(result.errors()).isEqualTo(8);
        assertThat(result.errorSummary()).isEqualTo("2 × read, 5 × non-2xx/3xx, 1 × timeout");
        assertThat(result.p50Ms()).isEqualTo(1.234);
        assertThat(result.p99Ms()).isEqualTo(5.678);
        assertThat(result.maxMs()).isEqualTo(91.011);
        assertThat(result.bytesPerRequest()).isCloseTo(1215.0, org.assertj.core.data.Offset.offset(0.1));
    }

    @Test
    void noTotalsLineIsNoResultAndAnIncompleteOneIsAnError() {
        assertThat(Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"))
                .isEmpty();
        assertThatThrownBy(() -> Wrk.parse("BENCH requests=1 duration_us=2")).hasMessageContaining("bytes");
    }

    @Test
    void debiansWrkRunsTheScriptAgainstAServer() throws Exception {
        assumeTrue(new java.io.File("/usr/bin/wrk").canExecute(), "Debian's wrk is not installed");
        AtomicReference<String> authorization = new AtomicReference<>();
        AtomicLong answered = new AtomicLong();
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(0)
                .route(routes -> routes.get("/x", (request, response) -> {
                    authorization.set(request.requestHeaders().get("Authorization"));
                    answered.incrementAndGet();
                    return response.send(Mono.just(Unpooled.wrappedBuffer(UpstreamStub.body())));
                }))
                .bindNow();
        try {
            AtomicLong pid = new AtomicLong();
            Wrk.Result result = Wrk.run(
                    URI.create("http://127.0.0.1:" + server.port() + "/x"),
                    Map.of("Authorization", "Bearer t"),
                    1,
                    2,
                    1,
                    dir,
                    pid::set);

            assertThat(pid.get()).isPositive();
            assertThat(result.requests()).isPositive().isLessThanOrEqualTo(answered.get());
            assertThat(result.errors()).isZero();
            assertThat(result.bytesPerRequest()).isGreaterThan(1024);
            assertThat(authorization.get()).isEqualTo("Bearer t");
        } finally {
            server.disposeNow();
        }
    }
}
