package dev.projectdashboard.pushservice.delivery;

import dev.projectdashboard.pushservice.retry.RetrySchedule;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How deliveries are attempted ({@code dashboard.push.delivery}).
 *
 * @param retryDelays the delays before each retry when a webhook sets none (source 003's {@code PUSH_RETRY_DELAYS}:
 *     10 s, 30 s, 90 s) ({@code PUSH_RETRY_DELAYS})
 * @param retryAfterCap the longest {@code Retry-After} honoured on a 429 or 503
 * @param lease how long a replica holds a delivery it is sending; must exceed the longest webhook timeout: a replica
 *     that dies mid-attempt leaves its deliveries to the others after this time
 * @param pollInterval how often each replica looks for due retries and expired leases
 * @param claimBatch deliveries leased by one look at most
 * @param concurrency attempts in flight per replica at most, from the scheduler
 * @param endpointConcurrency attempts in flight to one webhook at once per replica; more wait their turn
 * @param endpointQueue deliveries waiting their turn for one webhook per replica at most; more are given back, due a
 *     second later
 * @param endpointWait how long a delivery waits its turn at most before it is given back (due at once); {@code lease}
 *     must exceed it plus the longest webhook timeout
 * @param breakerFailures consecutive failed attempts (5xx, 429, timeouts, connection errors) that pause an endpoint
 * @param breakerPause how long a paused endpoint waits before one probe attempt
 * @param maxConnections connections in the pool shared by all endpoints
 * @param maxIdleTime a pooled connection idle this long is closed
 * @param logRetention push log rows older than this are deleted ({@code PUSH_LOG_RETENTION})
 * @param userAgent the {@code User-Agent} of every request
 */
@Validated
@ConfigurationProperties("dashboard.push.delivery")
public record DeliveryProperties(
        @NotNull @DefaultValue({"10s", "30s", "90s"}) List<Duration> retryDelays,
        @NotNull @DefaultValue("1h") Duration retryAfterCap,
        @NotNull @DefaultValue("2m") Duration lease,
        @NotNull @DefaultValue("1s") Duration pollInterval,
        @Min(1) @Max(1000) @DefaultValue("100") int claimBatch,
        @Min(1) @DefaultValue("256") int concurrency,
        @Min(1) @DefaultValue("32") int endpointConcurrency,
        @Min(0) @DefaultValue("1000") int endpointQueue,
        @NotNull @DefaultValue("10s") Duration endpointWait,
        @Min(1) @DefaultValue("5") int breakerFailures,
        @NotNull @DefaultValue("30s") Duration breakerPause,
        @Min(1) @DefaultValue("1000") int maxConnections,
        @NotNull @DefaultValue("20s") Duration maxIdleTime,
        @NotNull @DefaultValue("30d") Duration logRetention,
        @NotBlank @DefaultValue("ProjectDashboard-Push/1.0 (Enterprise IDP Platform/1.0.0 compatible)")
                String userAgent) {

    /** The schedule of webhooks without their own. */
    public RetrySchedule defaultSchedule() {
        return new RetrySchedule(retryDelays);
    }
}
