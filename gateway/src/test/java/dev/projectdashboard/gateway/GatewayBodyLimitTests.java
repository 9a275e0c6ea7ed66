package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.starter.security.DevTokens;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Request body limits: a declared Content-Length over the limit is refused before the service is asked, a chunked body
 * without one is cut off as it streams, and a body under a large limit streams through without being held.
 */
@TestPropertySource(properties = "dashboard.gateway.body-limit.limits.api=64KB")
class GatewayBodyLimitTests extends StubbedGatewayTests {

    private static final int CHUNK = 64 * 1024;

    private final String token = DevTokens.userToken("uploader", List.of("user"));

    @Test
    void refusesADeclaredContentLengthOverTheLimitBeforeAskingTheService() {
        int before = BACKENDS.named("device-bridge").receivedPaths().size();

        client.post()
                .uri("/project-dashboard/api/v1/devices/cam-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("x".repeat(64 * 1024 + 1))
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(413)
                .jsonPath("$.detail")
                .isEqualTo("The request body is larger than the 64 KB this path accepts.");
        assertThat(BACKENDS.named("device-bridge").receivedPaths()).hasSize(before);
    }

    @Test
    void takesABodyAtTheLimit() {
        client.post()
                .uri("/project-dashboard/api/v1/devices/cam-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .body(chunks(1, CHUNK), byte[].class)
                .exchange()
                .expectStatus()
                .isOk()
                .expectHeader()
                .valueEquals("X-Stub-Body-Bytes", Integer.toString(CHUNK));
    }

    /** Without Content-Length the header check cannot see the size: the bytes are counted as they pass. */
    @Test
    void cutsOffAChunkedBodyWithoutContentLengthOverTheLimit() {
        double before = metric("gateway_request_size_rejections_total", "route=\"push-service\"", "check=\"streamed\"");

        Answer response = post(
                "/project-dashboard/api/v1/webhooks",
                MediaType.APPLICATION_JSON_VALUE,
                Flux.range(0, 8).map(i -> Unpooled.wrappedBuffer(new byte[CHUNK])),
                HttpHeaders.CONTENT_TYPE);

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.header()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(response.body()).contains("\"status\":413").doesNotContain("Exception");
        assertThat(metric("gateway_request_size_rejections_total", "route=\"push-service\"", "check=\"streamed\""))
                .isEqualTo(before + 1);
    }

    /**
     * 200 MB chunked through the upload route to a service that counts the bytes as they arrive. Were the gateway to
     * hold the body (caching it, or waiting for its end), the service would see nothing until the client had sent
     * everything: the bytes in flight between client and service stay bounded instead, and so does the heap.
     */
    @Test
    void streamsALargeChunkedUploadThroughWithoutHoldingIt() {
        long total = 200L * 1024 * 1024;
        int chunks = (int) (total / CHUNK);
        StubBackend files = BACKENDS.named("file-service");
        long receivedBefore = files.receivedBodyBytes();
        AtomicLong sent = new AtomicLong();
        AtomicLong mostInFlight = new AtomicLong();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.gc();
        long heapBefore = memory.getHeapMemoryUsage().getUsed();
        AtomicLong mostHeap = new AtomicLong(heapBefore);
        byte[] chunk = new byte[CHUNK];

        Flux<ByteBuf> body = Flux.range(0, chunks).map(i -> {
            long inFlight = sent.get() - (files.receivedBodyBytes() - receivedBefore);
            mostInFlight.accumulateAndGet(inFlight, Math::max);
            if (i % 256 == 0) {
                mostHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed(), Math::max);
            }
            sent.addAndGet(CHUNK);
            return Unpooled.wrappedBuffer(chunk);
        });
        Answer answer = post(
                "/project-dashboard/api/v1/files/upload?task_id=t1",
                MediaType.APPLICATION_OCTET_STREAM_VALUE,
                body,
                "X-Stub-Body-Bytes");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header()).as("bytes the service counted").isEqualTo(Long.toString(total));
        System.out.printf(
                "200 MB upload: at most %d MB in flight between client and service, heap %d MB before, at most %d MB"
                        + " during%n",
                mostInFlight.get() >> 20, heapBefore >> 20, mostHeap.get() >> 20);
        assertThat(mostInFlight.get())
                .as("bytes sent but not yet at the service")
                .isLessThan(48L << 20);
        assertThat(mostHeap.get() - heapBefore).as("heap growth").isLessThan(150L << 20);
    }

    /** POSTs a streamed body with Reactor Netty's client (WebTestClient's wiretap would hold all of it). */
    private Answer post(String path, String contentType, Flux<ByteBuf> body, String header) {
        return HttpClient.create()
                .headers(headers -> headers.set(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                        .set(HttpHeaders.CONTENT_TYPE, contentType))
                .post()
                .uri("http://127.0.0.1:" + port + path)
                .send(body)
                .responseSingle((head, content) -> content.asString()
                        .defaultIfEmpty("")
                        .map(text -> new Answer(
                                head.status().code(), head.responseHeaders().get(header), text)))
                .block(Duration.ofSeconds(120));
    }

    /** Status, one header and the body of an answer. */
    private record Answer(int status, String header, String body) {}

    private static Flux<byte[]> chunks(int count, int size) {
        return Flux.range(0, count).map(i -> new byte[size]).concatWith(Mono.empty());
    }
}
