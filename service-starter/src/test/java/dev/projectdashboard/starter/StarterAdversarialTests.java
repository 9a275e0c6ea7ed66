package dev.projectdashboard.starter;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.projectdashboard.starter.security.DevTokens;
import dev.projectdashboard.starter.testapp.StarterTestApplication;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Inputs an adversarial probe sends a service, and the classes around them: each gets a 4xx problem that says what is
 * wrong in the suite's words (never Jackson's or Java's).
 */
@SpringBootTest(classes = StarterTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class StarterAdversarialTests {

    // words of the libraries underneath: a problem detail must never carry them
    private static final List<String> INTERNALS = List.of(
            "jackson", "StreamReadConstraints", "StreamConstraints", "Exception", "java.", "tools.", "`", "JsonToken");

    private static final String TOKEN = DevTokens.userToken("alice", List.of("viewer"));

    @Autowired
    WebTestClient client;

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
}
