package dev.projectdashboard.gateway.ratelimit;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Token buckets shared by every gateway replica, one per bucket name, created full on first use. */
interface TokenBuckets {

    /**
     * Takes one token from the bucket, or tells when the next one will be there.
     *
     * @param bucket the bucket's name (route and caller)
     * @param limit its size and refill rate
     * @return the decision; an error when the store does not answer
     */
    Mono<Decision> take(String bucket, RateLimitProperties.Limit limit);

    /**
     * @param allowed whether a token was taken
     * @param remaining tokens left in the bucket
     * @param retryAfter when a refused caller may expect a token again (zero when allowed)
     */
    record Decision(boolean allowed, long remaining, Duration retryAfter) {

        static Decision allowed(long remaining) {
            return new Decision(true, remaining, Duration.ZERO);
        }

        /** A refusal, with the wait until the bucket holds a request's tokens again (Redis ticks in whole seconds). */
        static Decision refused(long remaining, RateLimitProperties.Limit limit) {
            long missing = Math.max(1, limit.requestedTokens() - remaining);
            long seconds = Math.max(1, (missing + limit.replenishRate() - 1) / limit.replenishRate());
            return new Decision(false, remaining, Duration.ofSeconds(seconds));
        }
    }
}
