package dev.projectdashboard.gateway.ratelimit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's rate limits ({@code dashboard.gateway.rate-limit.*}): named token buckets that routes pick with
 * {@code RateLimit=<per-address limit>[, <per-user limit>]}.
 *
 * @param enabled {@code GATEWAY_RATE_LIMIT_ENABLED}: false lets every request through without asking Redis
 * @param redisUrl Redis holding the buckets, shared by every gateway replica ({@code REDIS_URL})
 * @param redisTimeout how long a request waits for Redis before it is let through unchecked
 *     ({@code GATEWAY_RATE_LIMIT_REDIS_TIMEOUT})
 * @param limits the named limits routes refer to, e.g. {@code user}, {@code anonymous}, {@code webhook}
 */
@Validated
@ConfigurationProperties("dashboard.gateway.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @NotBlank String redisUrl,
        @NotNull @DefaultValue("250ms") Duration redisTimeout,
        @NotNull @DefaultValue Map<String, @Valid @NotNull Limit> limits) {

    /**
     * A token bucket: a request takes {@code requestedTokens}; a caller may send {@code burstCapacity /
     * requestedTokens} requests at once and {@code replenishRate / requestedTokens} per second on average (a rate
     * below one request a second needs {@code requestedTokens} above one).
     *
     * @param replenishRate tokens added per second
     * @param burstCapacity most tokens the bucket holds
     * @param requestedTokens tokens one request takes
     */
    public record Limit(
            @Min(1) int replenishRate, @Min(1) long burstCapacity, @DefaultValue("1") @Min(1) int requestedTokens) {

        @AssertTrue(message = "burst-capacity must be at least replenish-rate and requested-tokens")
        public boolean isBurstCapacityLargeEnough() {
            return burstCapacity >= replenishRate && burstCapacity >= requestedTokens;
        }
    }

    /** The limit of that name; a route naming one that is not configured fails when the routes are built. */
    public Limit limit(String name) {
        Limit limit = name == null ? null : limits.get(name);
        if (limit == null) {
            throw new IllegalArgumentException(
                    "RateLimit names limit '" + name + "', but dashboard.gateway.rate-limit.limits." + name
                            + " is not set (configured: " + limits.keySet() + ")");
        }
        return limit;
    }
}
