package dev.projectdashboard.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackTest;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The token buckets against a real Redis: burst, refusal with the wait, refill, one bucket per name. */
@LocalStackTest
class RedisTokenBucketsTests {

    private static final RateLimitProperties.Limit TWO_PER_SECOND_BURST_THREE = new RateLimitProperties.Limit(2, 3, 1);

    private RedisTokenBuckets buckets;

    @BeforeEach
    void connect(LocalStack stack) {
        buckets = new RedisTokenBuckets("redis://127.0.0.1:" + stack.redisPort(), Duration.ofMillis(250));
        await().atMost(Duration.ofSeconds(10)).until(() -> buckets.take("warm-up", TWO_PER_SECOND_BURST_THREE)
                .map(decision -> true)
                .onErrorReturn(false)
                .block(Duration.ofSeconds(1)));
    }

    @AfterEach
    void close() {
        buckets.close();
    }

    @Test
    void allowsTheBurstThenRefusesWithTheWaitForTheNextToken() {
        String bucket = fresh();
        for (int remaining = 2; remaining >= 0; remaining--) {
            StepVerifier.create(buckets.take(bucket, TWO_PER_SECOND_BURST_THREE))
                    .expectNext(TokenBuckets.Decision.allowed(remaining))
                    .verifyComplete();
        }

        StepVerifier.create(buckets.take(bucket, TWO_PER_SECOND_BURST_THREE))
                .expectNext(new TokenBuckets.Decision(false, 0, Duration.ofSeconds(1)))
                .verifyComplete();
    }

    @Test
    void refillsAtTheRate() {
        String bucket = fresh();
        for (int i = 0; i < 4; i++) {
            buckets.take(bucket, TWO_PER_SECOND_BURST_THREE).block(Duration.ofSeconds(1));
        }

        await().atMost(Duration.ofSeconds(3)).until(() -> buckets.take(bucket, TWO_PER_SECOND_BURST_THREE)
                .block(Duration.ofSeconds(1))
                .allowed());
    }

    @Test
    void keepsEachBucketOnItsOwn() {
        String emptied = fresh();
        for (int i = 0; i < 3; i++) {
            buckets.take(emptied, TWO_PER_SECOND_BURST_THREE).block(Duration.ofSeconds(1));
        }

        StepVerifier.create(buckets.take(fresh(), TWO_PER_SECOND_BURST_THREE))
                .expectNextMatches(TokenBuckets.Decision::allowed)
                .verifyComplete();
    }

    /** Ten tokens a request at one a second: a request every ten seconds on average. */
    @Test
    void takesSeveralTokensARequestForRatesBelowOneASecond() {
        RateLimitProperties.Limit oneEveryTenSeconds = new RateLimitProperties.Limit(1, 20, 10);
        String bucket = fresh();
        for (int i = 0; i < 2; i++) {
            StepVerifier.create(buckets.take(bucket, oneEveryTenSeconds))
                    .expectNextMatches(TokenBuckets.Decision::allowed)
                    .verifyComplete();
        }

        StepVerifier.create(buckets.take(bucket, oneEveryTenSeconds))
                .assertNext(decision -> {
                    assertThat(decision.allowed()).isFalse();
                    assertThat(decision.retryAfter()).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
                })
                .verifyComplete();
    }

    @Test
    void failsAtOnceWhileRedisIsNotConnected() {
        RedisTokenBuckets nowhere = new RedisTokenBuckets("redis://127.0.0.1:1", Duration.ofMillis(250));
        try {
            StepVerifier.create(nowhere.take(fresh(), TWO_PER_SECOND_BURST_THREE))
                    .expectError(IllegalStateException.class)
                    .verify(Duration.ofSeconds(1));
        } finally {
            nowhere.close();
        }
    }

    private static String fresh() {
        return "test:" + UUID.randomUUID();
    }
}
