package dev.projectdashboard.starter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.testapp.StarterTestApplication;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Inputs an adversarial probe sends a service, and the classes around them: each gets a 4xx problem that says what is
 * wrong in the suite's words (never Jackson's or Java's), and a connection that stalls is let go. Runs with short
 * server timeouts so the stalls end quickly.
 */
@SpringBootTest(
        classes = StarterTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"dashboard.server.read-timeout=" + StarterAdversarialTests.TIMEOUT, "server.netty.idle-timeout=2s"
        })
@AutoConfigureWebTestClient
@ExtendWith(OutputCaptureExtension.class)
class StarterAdversarialTests {

    static final String TIMEOUT = "2s";

    /** How long a test waits for the server to drop a stalled connection: far beyond the configured 2 s. */
    private static final Duration STALL_BOUND = Duration.ofSeconds(20);

    // words of the libraries underneath: a problem detail must never carry them
    private static final List<String> INTERNALS = List.of(
            "jackson", "StreamReadConstraints", "StreamConstraints", "Exception", "java.", "tools.", "`", "JsonToken");

    private static final String TOKEN = DevTokens.userToken("alice", List.of("viewer"));

    @Autowired
    WebTestClient client;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int port;

    /** {@code path, body, status, field (or empty), detail fragment}: one line per kind of bad JSON. */
    static Stream<Arguments> badJson() {
        String deep = "[".repeat(600) + "]".repeat(600);
        return Stream.of(
                // duplicate keys: the last one used to win silently
                Arguments.of(
                        "/api/items", "{\"name\":\"a\",\"name\":\"b\",\"quantity\":1}", "name", "Duplicate key 'name'"),
                Arguments.of("/api/documents", "{\"x\":{\"a\":1,\"a\":2}}", "x.a", "Duplicate key 'a'"),
                Arguments.of("/api/documents", "[{\"a\":1},{\"b\":1,\"b\":1}]", "[1].b", "Duplicate key 'b'"),
                Arguments.of(
                        "/api/readings", "{\"name\":\"r\",\"tags\":[\"a\"],\"tags\":[\"b\"]}", "tags", "Duplicate key"),
                // sizes the parser refuses
                Arguments.of("/api/documents", deep, "", "nests"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"count\":" + "9".repeat(2000) + "}", "", "digits"),
                // numbers out of the field's range
                Arguments.of("/api/readings", "{\"name\":\"r\",\"count\":99999999999999999999}", "count", "count"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"count\":1e999}", "count", "count"),
                Arguments.of("/api/items", "{\"name\":\"a\",\"quantity\":2147483648}", "quantity", "quantity"),
                // NUL: valid JSON, but no field of the suite means it, and PostgreSQL cannot store it
                Arguments.of("/api/items", "{\"name\":\"a\\u0000b\",\"quantity\":1}", "name", "name"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"tags\":[\"ok\",\"x\\u0000\"]}", "tags[1]", "tags[1]"),
                // wrong types
                Arguments.of("/api/readings", "{\"name\":\"r\",\"count\":\"many\"}", "count", "count"),
                Arguments.of("/api/readings", "{\"name\":{\"a\":1}}", "name", "name"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"tags\":\"a\"}", "tags", "tags"),
                Arguments.of("/api/items", "[1,2]", "", "type"),
                // instants out of range or not instants at all
                Arguments.of("/api/readings", "{\"name\":\"r\",\"at\":\"+1000000001-01-01T00:00:00Z\"}", "at", "at"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"at\":\"yesterday\"}", "at", "at"),
                Arguments.of("/api/readings", "{\"name\":\"r\",\"at\":-99999999999999999999}", "at", "at"),
                // broken JSON says where
                Arguments.of("/api/items", "{\"name\" \"x\"}", "", "line 1, column 9"),
                Arguments.of("/api/items", "{\"name\":", "", "ends"),
                Arguments.of("/api/items", "{\"name\":\"a\",\"quantity\":1} {\"name\":\"b\"}", "", "after"),
                Arguments.of("/api/items", "{\"name\":\"a\u0000\",\"quantity\":1}", "", "Malformed JSON"),
                Arguments.of("/api/items", "{'name':'a','quantity':1}", "", "Malformed JSON"),
                Arguments.of("/api/items", "{\"name\":NaN,\"quantity\":1}", "", "Malformed JSON"));
    }

    @ParameterizedTest(name = "[{index}] {0} {1}")
    @MethodSource("badJson")
    void refusesBadJsonWithAProblemInItsOwnWords(String path, String body, String field, String detail) {
        WebTestClient.BodyContentSpec problem = post(
                        path, MediaType.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_8))
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400)
                .jsonPath("$.detail")
                .value(text -> assertThat((String) text).contains(detail));
        if (field.isEmpty()) {
            problem.jsonPath("$.errors").doesNotExist();
        } else {
            problem.jsonPath("$.errors[0].field").isEqualTo(field);
        }
        assertNoInternals(problem);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/items/a%00b",
                "/api/items/a%2Fb",
                "/api/items/..%2F..%2Fetc",
                "/api//items",
                "/api/items/%2e%2e/x"
            })
    void refusesPathsTheFirewallRejectsWithProblemJson(String path) {
        assertNoInternals(client.get()
                .uri(URI.create("http://localhost:" + port + path))
                .exchange()
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(400));
    }

    @Test
    void refusesInvalidUtf8AsMalformedJson() {
        byte[] body = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        assertNoInternals(post("/api/items", MediaType.APPLICATION_JSON, body)
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.detail")
                .value(text -> assertThat((String) text).startsWith("Malformed JSON")));
    }

    @Test
    void namesTheFieldThatHoldsNul() {
        post("/api/items", MediaType.APPLICATION_JSON, "{\"name\":\"a\\u0000\",\"quantity\":1}".getBytes())
                .expectStatus()
                .isBadRequest()
                .expectBody()
                .jsonPath("$.errors[0].message")
                .value(message -> assertThat((String) message).contains("NUL"));
    }

    @Test
    void keepsAcceptingWellFormedBodies() {
        post(
                        "/api/readings",
                        MediaType.APPLICATION_JSON,
                        "{\"name\":\"r\",\"at\":\"2026-01-01T00:00:00Z\",\"count\":9007199254740993,\"tags\":[\"a\",\"é\"]}"
                                .getBytes(StandardCharsets.UTF_8))
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.count")
                .isEqualTo(9007199254740993L)
                .jsonPath("$.tags[1]")
                .isEqualTo("é");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"text/plain", "application/xml", "application/x-www-form-urlencoded", "application/octet-stream"
            })
    void refusesBodiesThatAreNotJsonWithUnsupportedMediaType(String contentType) {
        assertNoInternals(
                post("/api/items", MediaType.parseMediaType(contentType), "{\"name\":\"a\",\"quantity\":1}".getBytes())
                        .expectStatus()
                        .isEqualTo(415)
                        .expectHeader()
                        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                        .expectBody()
                        .jsonPath("$.status")
                        .isEqualTo(415));
    }

    @Test
    void refusesAnEmptyBodyAsBadRequest() {
        assertNoInternals(post("/api/items", MediaType.APPLICATION_JSON, new byte[0])
                .expectStatus()
                .isBadRequest()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody());
    }

    /** {@code sub} values that cannot name a user (nor make a {@code user:{sub}} channel). */
    @ParameterizedTest
    @ValueSource(strings = {"alice smith", "alice:admin", "a/b", "tab\there", "line\nbreak", "bell\u0007", "josé", ""})
    void refusesTokensWhoseSubjectBreaksTheRule(String subject) {
        expectUnauthorized(DevTokens.builder(subject).sign(), "sub");
    }

    @Test
    void refusesATokenWhoseSubjectIsLongerThan128Characters() {
        expectUnauthorized(DevTokens.builder("x".repeat(129)).sign(), "sub");
        meAs(DevTokens.builder("x".repeat(128)).sign()).expectStatus().isOk();
    }

    @Test
    void acceptsSubjectsOfLettersDigitsAndTheAllowedMarks() {
        meAs(DevTokens.builder("alice.smith+ci@example-1_x").sign())
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.user_id")
                .isEqualTo("alice.smith+ci@example-1_x");
    }

    @Test
    void refusesATokenIssuedInTheFuture() {
        Instant issued = Instant.now().plus(Duration.ofDays(365));
        expectUnauthorized(
                DevTokens.builder("alice")
                        .issuedAt(issued)
                        .expiresAt(issued.plus(Duration.ofHours(1)))
                        .sign(),
                "iat");
    }

    @Test
    void acceptsATokenIssuedWithinTheClockSkew() {
        Instant issued = Instant.now().plusSeconds(20);
        meAs(DevTokens.builder("alice")
                        .issuedAt(issued)
                        .expiresAt(issued.plus(Duration.ofHours(1)))
                        .sign())
                .expectStatus()
                .isOk();
    }

    /** Spring would invent {@code iat} as {@code exp} minus a second; a token without one is no token from the future. */
    @Test
    void acceptsATokenWithoutIssuedAt() throws JOSEException {
        SignedJWT jwt = new SignedJWT(
                new JWSHeader(JWSAlgorithm.HS256),
                new JWTClaimsSet.Builder()
                        .subject("alice")
                        .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1))))
                        .build());
        jwt.sign(new MACSigner(DevDefaults.JWT_SECRET.getBytes(StandardCharsets.UTF_8)));

        meAs(jwt.serialize()).expectStatus().isOk();
    }

    @Test
    void refusesATokenWithoutExpiry() {
        expectUnauthorized(DevTokens.builder("alice").withoutExpiry().sign(), "exp");
    }

    /** Content-Length promised, a few bytes sent, then nothing: the server answers 408 and closes, quietly. */
    @Test
    void dropsARequestWhoseBodyStalls(CapturedOutput output) throws IOException {
        try (Socket socket = connect()) {
            send(
                    socket,
                    "POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n0123456789");

            assertThat(readUntilClosed(socket))
                    .startsWith("HTTP/1.1 408")
                    .contains("application/problem+json")
                    .contains("\"status\":408");
        }
        // a client's stall is no server error: no stack trace, nothing at ERROR
        assertThat(output.getAll()).doesNotContain("\tat ").doesNotContain(" ERROR ");
    }

    /** A client that sends part of a body and hangs up is no failure of the service: a 400 nobody reads, no log. */
    @Test
    void takesAClientThatHangsUpMidBodyQuietly(CapturedOutput output) throws IOException {
        try (Socket socket = connect()) {
            send(
                    socket,
                    "POST /api/uploads HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n01234");
        }

        // the only 400 on this endpoint in this class: the request was handled once it is counted
        await().atMost(STALL_BOUND).untilAsserted(() -> assertThat(meters.find("http.server.requests")
                        .tag("uri", "/api/uploads")
                        .tag("status", "400")
                        .timer())
                .isNotNull());
        assertThat(output.getAll()).doesNotContain(" ERROR ").doesNotContain("\tat ");
    }

    @Test
    void dropsARequestWhoseBodyStallsAfterItWasAnsweredWithoutReadingIt() throws IOException {
        try (Socket socket = connect()) {
            send(
                    socket,
                    "POST /api/uploads HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n0123456789");

            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 401");
        }
    }

    @Test
    void dropsAConnectionWhoseHeadersStall() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /api/me HTTP/1.1\r\nHost: localhost\r\n");

            assertThat(readUntilClosed(socket)).doesNotContain("200 OK");
        }
    }

    @Test
    void closesAnIdleKeepAliveConnection() throws IOException {
        try (Socket socket = connect()) {
            send(socket, "GET /fn/hello HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertThat(readUntilClosed(socket)).startsWith("HTTP/1.1 200").contains("world");
        }
    }

    /** The read timeout is between reads, not for the whole body: a slow upload that keeps sending completes. */
    @Test
    void keepsASlowButSteadyUpload() {
        int chunks = 16;
        Flux<DataBuffer> body = Flux.interval(Duration.ofMillis(250))
                .take(chunks)
                .map(i -> DefaultDataBufferFactory.sharedInstance.wrap(new byte[1024]));
        client.mutate()
                .responseTimeout(Duration.ofSeconds(30))
                .build()
                .post()
                .uri("/api/uploads")
                .headers(h -> h.setBearerAuth(TOKEN))
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .body(BodyInserters.fromDataBuffers(body))
                .exchange()
                .expectStatus()
                .isOk()
                .expectBody()
                .jsonPath("$.size")
                .isEqualTo(chunks * 1024);
    }

    /** A WebSocket is quiet for longer than both timeouts and still answers: they apply to HTTP requests only. */
    @Test
    void keepsAQuietWebSocketOpen() {
        HttpHeaders headers = new HttpHeaders();
        headers.setBearerAuth(TOKEN);
        Mono<String> echo = Mono.defer(() -> {
            StringBuilder received = new StringBuilder();
            return new ReactorNettyWebSocketClient()
                    .execute(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), headers, session -> Mono.delay(
                                    Duration.ofSeconds(5))
                            .then(session.send(Mono.just(session.textMessage("still here"))))
                            .then(session.receive()
                                    .map(WebSocketMessage::getPayloadAsText)
                                    .next()
                                    .doOnNext(received::append)
                                    .then()))
                    .then(Mono.fromSupplier(received::toString));
        });

        StepVerifier.create(echo).expectNext("still here").expectComplete().verify(Duration.ofSeconds(30));
    }

    private WebTestClient.ResponseSpec post(String path, MediaType contentType, byte[] body) {
        return client.post()
                .uri(path)
                .headers(h -> h.setBearerAuth(TOKEN))
                .contentType(contentType)
                .bodyValue(body)
                .exchange();
    }

    private WebTestClient.ResponseSpec meAs(String token) {
        return client.get().uri("/api/me").headers(h -> h.setBearerAuth(token)).exchange();
    }

    private void expectUnauthorized(String token, String detail) {
        assertNoInternals(meAs(token)
                .expectStatus()
                .isUnauthorized()
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.detail")
                .value(text -> assertThat((String) text).contains(detail)));
    }

    private static void assertNoInternals(WebTestClient.BodyContentSpec problem) {
        String body = new String(problem.returnResult().getResponseBodyContent(), StandardCharsets.UTF_8);
        INTERNALS.forEach(word -> assertThat(body).as("problem body").doesNotContainIgnoringCase(word));
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout((int) STALL_BOUND.toMillis());
        return socket;
    }

    private static void send(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** Everything the server sends until it closes the connection; fails when it keeps it open past the bound. */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int read; (read = in.read(buffer)) != -1; ) {
                received.write(buffer, 0, read);
            }
        } catch (SocketTimeoutException stillOpen) {
            throw new AssertionError("the server kept the connection open for " + STALL_BOUND + "; it sent: "
                    + received.toString(StandardCharsets.ISO_8859_1));
        } catch (java.net.SocketException reset) {
            // a reset is the server dropping the connection too
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }
}
