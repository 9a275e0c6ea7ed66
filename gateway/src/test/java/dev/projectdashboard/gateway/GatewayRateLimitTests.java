package dev.projectdashboard.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.starter.security.DevTokens;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The rate limits against the local stack's Redis, made tiny here: signed-in callers are counted by user id, anonymous
 * callers and the webhook ingest paths by client address (X-Forwarded-For only from a trusted proxy, here loopback),
 * a refusal is a 429 problem with Retry-After that never reaches the service, and a Redis outage lets requests through.
 */
// ten tokens a request at one token a second: a bucket gives back a request only every ten seconds, so no test's
// requests straddle a refill
@TestPropertySource(
        properties = {
            "dashboard.gateway.rate-limit.limits.user.replenish-rate=1",
            "dashboard.gateway.rate-limit.limits.user.burst-capacity=30",
            "dashboard.gateway.rate-limit.limits.user.requested-tokens=10",
            "dashboard.gateway.rate-limit.limits.anonymous.replenish-rate=1",
            "dashboard.gateway.rate-limit.limits.anonymous.burst-capacity=20",
            "dashboard.gateway.rate-limit.limits.anonymous.requested-tokens=10",
            "dashboard.gateway.rate-limit.limits.webhook.replenish-rate=1",
            "dashboard.gateway.rate-limit.limits.webhook.burst-capacity=20",
            "dashboard.gateway.rate-limit.limits.webhook.requested-tokens=10",
        })
class GatewayRateLimitTests extends StubbedGatewayTests {

    private static final String FILES = "/project-dashboard/api/v1/files/info/x";

    @Test
    void refusesAUserOverTheLimitWithA429ProblemThatNeverReachesTheService() {
        String alice = DevTokens.userToken(unique("alice"), List.of("user"));
        for (int i = 0; i < 3; i++) {
            asUser(alice).exchange().expectStatus().isOk();
        }
        int before = BACKENDS.named("file-service").receivedPaths().size();

        asUser(alice)
                .exchange()
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader()
                .value(HttpHeaders.RETRY_AFTER, retryAfter -> assertThat(Integer.parseInt(retryAfter))
                        .isBetween(9, 10))
                .expectBody()
                .jsonPath("$.status")
                .isEqualTo(429)
                .jsonPath("$.detail")
                .value(detail ->
                        assertThat((String) detail).matches("Too many requests; try again in (9|10) seconds."));
        assertThat(BACKENDS.named("file-service").receivedPaths()).hasSize(before);
    }

    @Test
    void countsEachUserOnItsOwn() {
        String bob = DevTokens.userToken(unique("bob"), List.of("user"));
        String carol = DevTokens.userToken(unique("carol"), List.of("user"));
        for (int i = 0; i < 3; i++) {
            asUser(bob).exchange().expectStatus().isOk();
        }
        asUser(bob).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        asUser(carol).exchange().expectStatus().isOk();
    }

    /** Same user, other route: each route has its own bucket. */
    @Test
    void countsEachRouteOnItsOwn() {
        String dave = DevTokens.userToken(unique("dave"), List.of("user"));
        for (int i = 0; i < 3; i++) {
            asUser(dave).exchange().expectStatus().isOk();
        }
        asUser(dave).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        client.get()
                .uri("/project-dashboard/api/v1/devices/cam-1")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + dave)
                .exchange()
                .expectStatus()
                .isOk();
    }

    @Test
    void countsAnonymousCallersByTheAddressTheTrustedProxyReports() {
        String first = "203.0.113." + (1 + (int) (Math.random() * 200));
        String second = "198.51.100." + (1 + (int) (Math.random() * 200));
        for (int i = 0; i < 2; i++) {
            socketIoPoll(first).expectStatus().isOk();
        }
        socketIoPoll(first).expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);

        socketIoPoll(second).expectStatus().isOk();
    }

    /**
     * X-Forwarded-For entries left of the one the trusted proxy appended are the client's own words: a client varying
     * them is still counted by its real address.
     */
    @Test
    void countsWebhookSendersByAddressWhateverTheyPutInFrontOfIt() {
        String sender = "192.0.2." + (1 + (int) (Math.random() * 200));
        for (int i = 0; i < 2; i++) {
            postWebhook("10.0.0." + i + ", " + sender).expectStatus().isOk();
        }

        postWebhook("10.0.0.99, " + sender)
                .expectStatus()
                .isEqualTo(HttpStatus.TOO_MANY_REQUESTS)
                .expectHeader()
                .exists(HttpHeaders.RETRY_AFTER);
        postWebhook("10.0.0.99, 192.0.2.250").expectStatus().isOk();
    }

    @Test
    void countsRefusalsPerRouteAndLimitInPrometheus() {
        double before = metric("gateway_rate_limit_rejections_total", "route=\"file-service\"", "limit=\"user\"");
        String erin = DevTokens.userToken(unique("erin"), List.of("user"));
        for (int i = 0; i < 4; i++) {
            asUser(erin).exchange();
        }

        assertThat(metric("gateway_rate_limit_rejections_total", "route=\"file-service\"", "limit=\"user\""))
                .isEqualTo(before + 1);
    }

    /**
     * Fail open: with Redis stopped, a user over the limit gets through, quickly, and the unchecked requests are
     * counted; once Redis is back, the limit holds again.
     */
    @Test
    void letsRequestsThroughUncheckedWhileRedisIsDown(LocalStack stack) {
        String frank = DevTokens.userToken(unique("frank"), List.of("user"));
        for (int i = 0; i < 3; i++) {
            asUser(frank).exchange().expectStatus().isOk();
        }
        asUser(frank).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
        double uncheckedBefore = metric("gateway_rate_limit_unchecked_total", "route=\"file-service\"");

        stack.stopRedis();
        try {
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                asUser(frank).exchange().expectStatus().isOk();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
            assertThat(metric("gateway_rate_limit_unchecked_total", "route=\"file-service\""))
                    .isGreaterThanOrEqualTo(uncheckedBefore + 5);
        } finally {
            stack.startRedis();
        }

        String grace = DevTokens.userToken(unique("grace"), List.of("user"));
        await().atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> {
                    for (int i = 0; i < 3; i++) {
                        asUser(grace).exchange();
                    }
                    asUser(grace).exchange().expectStatus().isEqualTo(HttpStatus.TOO_MANY_REQUESTS);
                });
    }

    private WebTestClient.RequestHeadersSpec<?> asUser(String token) {
        return client.get().uri(FILES).header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    private WebTestClient.ResponseSpec socketIoPoll(String clientAddress) {
        return client.get()
                .uri("/project-dashboard/socket.io/?EIO=4&transport=polling")
                .header("X-Forwarded-For", clientAddress)
                .exchange();
    }

    private WebTestClient.ResponseSpec postWebhook(String forwardedFor) {
        return client.post()
                .uri("/project-dashboard/api/webhooks/deployment")
                .header("X-Forwarded-For", forwardedFor)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"type\":\"step_started\"}")
                .exchange();
    }

    private static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
