package dev.projectdashboard.gateway.upstream;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The circuit breaker in front of each service ({@code dashboard.gateway.circuit-breaker.*}), one per service and
 * shared by that service's routes. It counts only failures to get an answer (connection refused or reset, no answer in
 * time), never the answers a service gives, 5xx included.
 *
 * @param failureRateThreshold percentage of failed calls among the last {@code slidingWindowSize} at which the breaker
 *     opens ({@code GATEWAY_BREAKER_FAILURE_RATE})
 * @param slidingWindowSize how many of the latest calls are judged
 * @param minimumNumberOfCalls calls needed before the failure rate counts ({@code GATEWAY_BREAKER_MINIMUM_CALLS})
 * @param waitInOpenState how long an open breaker refuses calls before letting a few through again
 *     ({@code GATEWAY_BREAKER_OPEN_WAIT}); also the {@code Retry-After} of every 503 that names a service
 * @param permittedCallsInHalfOpenState trial calls after the wait that decide between closing and opening again
 */
@Validated
@ConfigurationProperties("dashboard.gateway.circuit-breaker")
public record CircuitBreakerProperties(
        @DefaultValue("50") @DecimalMin("1") @DecimalMax("100") float failureRateThreshold,
        @DefaultValue("20") @Min(1) int slidingWindowSize,
        @DefaultValue("10") @Min(1) int minimumNumberOfCalls,
        @NotNull @DefaultValue("10s") Duration waitInOpenState,
        @DefaultValue("3") @Min(1) int permittedCallsInHalfOpenState) {}
