package dev.projectdashboard.launcher.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.projectdashboard.launcher.suite.StackPorts.PortClaim;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ReadinessProbeTests {

    private final ReadinessProbe probe = new ReadinessProbe(Duration.ofMillis(5), Duration.ofSeconds(2));
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer server;

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void waitsUntilTheServiceAnswersUp() throws IOException {
        URI uri = serve(3);

        ReadinessProbe.Result result =
                probe.await(uri, () -> true, Instant.now().plusSeconds(20));

        assertThat(result).isEqualTo(ReadinessProbe.Result.READY);
        assertThat(calls).hasValue(4);
    }

    @Test
    void downOrOutOfServiceIsNotReady() throws IOException {
        URI uri = serve(Integer.MAX_VALUE);

        assertThat(probe.isReady(uri)).isFalse();
        assertThat(probe.await(uri, () -> true, Instant.now().plusMillis(200)))
                .isEqualTo(ReadinessProbe.Result.TIMED_OUT);
        assertThat(calls.get()).isGreaterThan(1);
    }

    @Test
    void aDeadProcessEndsTheWaitAtOnce() {
        int port = unusedPort();

        ReadinessProbe.Result result = probe.await(
                ReadinessProbe.readinessUri(port), () -> false, Instant.now().plusSeconds(20));

        assertThat(result).isEqualTo(ReadinessProbe.Result.DIED);
    }

    @Test
    void nothingListeningIsNotReady() {
        assertThat(probe.isReady(ReadinessProbe.readinessUri(unusedPort()))).isFalse();
    }

    @Test
    void conditionWaitSeesTheConditionTurnTrue() {
        AtomicInteger polls = new AtomicInteger();

        ReadinessProbe.Result result = probe.awaitCondition(
                () -> polls.incrementAndGet() > 3, () -> true, Instant.now().plusSeconds(20));

        assertThat(result).isEqualTo(ReadinessProbe.Result.READY);
        assertThat(polls).hasValue(4);
    }

    @Test
    void portInUseIsDetectedAndNamed() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            PortClaim claim = new PortClaim(port, "gateway", "stop whatever listens there");

            assertThat(PortCheck.isFree(port)).isFalse();
            assertThat(PortCheck.isListening(port)).isTrue();
            assertThat(PortCheck.taken(List.of(claim, new PortClaim(unusedPort(), "other", ""))))
                    .containsExactly(claim);
        }
    }

    @Test
    void closedPortIsFreeAgain() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        assertThat(PortCheck.isFree(port)).isTrue();
        assertThat(PortCheck.isListening(port)).isFalse();
    }

    /** A readiness endpoint that answers 503 OUT_OF_SERVICE {@code downCalls} times, then 200 UP. */
    private URI serve(int downCalls) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            boolean up = calls.incrementAndGet() > downCalls;
            byte[] body =
                    (up ? "{\"status\" : \"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(up ? 200 : 503, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return ReadinessProbe.readinessUri(server.getAddress().getPort());
    }

    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
