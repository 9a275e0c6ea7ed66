package dev.projectdashboard.realtimeservice.api;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The server API ({@code dashboard.realtime.api.*}).
 *
 * @param idempotencyTtl how long a broadcast's answer is kept for replays with the same idempotency key
 * @param idempotencyPendingTtl how long a broadcast in progress holds its key; a replica that dies mid-broadcast
 *     frees the key after this
 * @param maxBroadcastChannels most channels one broadcast may name
 * @param historyDefaultLimit publications returned by the history API when {@code limit} is not given
 * @param historyMaxLimit largest {@code limit} the history API accepts
 * @param statsDefaultLimit active user ids listed by the stats API when {@code limit} is not given
 * @param statsMaxLimit largest {@code limit} the stats API accepts
 * @param bodyTimeout a request body that has not fully arrived this long after the request reached the API is refused
 *     with 408, so a sender that stalls does not hold a connection and its buffers
 */
@Validated
@ConfigurationProperties("dashboard.realtime.api")
public record RealtimeApiProperties(
        @NotNull @DefaultValue("24h") Duration idempotencyTtl,
        @NotNull @DefaultValue("1m") Duration idempotencyPendingTtl,
        @Min(1) @Max(10_000) @DefaultValue("100") int maxBroadcastChannels,
        @Min(1) @Max(10_000) @DefaultValue("100") int historyDefaultLimit,
        @Min(1) @Max(10_000) @DefaultValue("1000") int historyMaxLimit,
        @Min(1) @Max(100_000) @DefaultValue("1000") int statsDefaultLimit,
        @Min(1) @Max(100_000) @DefaultValue("10000") int statsMaxLimit,
        @NotNull @DefaultValue("10s") Duration bodyTimeout) {

    public RealtimeApiProperties {
        if (idempotencyTtl != null && idempotencyTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("dashboard.realtime.api.idempotency-ttl must be at least 1s");
        }
        if (idempotencyPendingTtl != null && idempotencyPendingTtl.toSeconds() < 1) {
            throw new IllegalArgumentException("dashboard.realtime.api.idempotency-pending-ttl must be at least 1s");
        }
        if (bodyTimeout != null && bodyTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("dashboard.realtime.api.body-timeout must be at least 100ms");
        }
        if (historyDefaultLimit > historyMaxLimit) {
            throw new IllegalArgumentException(
                    "dashboard.realtime.api.history-default-limit must not exceed history-max-limit");
        }
        if (statsDefaultLimit > statsMaxLimit) {
            throw new IllegalArgumentException(
                    "dashboard.realtime.api.stats-default-limit must not exceed stats-max-limit");
        }
    }
}
