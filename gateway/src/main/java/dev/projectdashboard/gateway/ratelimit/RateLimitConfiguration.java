package dev.projectdashboard.gateway.ratelimit;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.publisher.Mono;

/** The buckets the rate limits take their tokens from; no Redis connection at all while they are switched off. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    // closed through AutoCloseable (Spring infers it from the instance)
    @Bean
    TokenBuckets tokenBuckets(RateLimitProperties properties) {
        if (!properties.enabled()) {
            return (bucket, limit) -> Mono.just(TokenBuckets.Decision.allowed(limit.burstCapacity()));
        }
        return new RedisTokenBuckets(properties.redisUrl(), properties.redisTimeout());
    }
}
