package dev.projectdashboard.gateway.upstream;

import dev.projectdashboard.gateway.config.ServiceUrlsProperties;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One circuit breaker per service of {@code dashboard.upstreams}, created at start-up so that
 * {@code resilience4j_circuitbreaker_state{name="<service>"}} shows every service from the first scrape.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamBreakers {

    private static final Logger log = LoggerFactory.getLogger(UpstreamBreakers.class);

    @Bean
    CircuitBreakerRegistry upstreamCircuitBreakers(
            CircuitBreakerProperties properties, ServiceUrlsProperties services, MeterRegistry meters) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(properties.slidingWindowSize())
                .minimumNumberOfCalls(properties.minimumNumberOfCalls())
                .failureRateThreshold(properties.failureRateThreshold())
                .waitDurationInOpenState(properties.waitInOpenState())
                .permittedNumberOfCallsInHalfOpenState(properties.permittedCallsInHalfOpenState())
                // an upload of gigabytes takes minutes before the service answers: slowness alone never opens it,
                // the route's response timeout (a failure) does
                .slowCallRateThreshold(100)
                .slowCallDurationThreshold(Duration.ofDays(1))
                .recordException(UpstreamFailures::isFailureOfService)
                .ignoreException(error -> !UpstreamFailures.isFailureOfService(error))
                .build();
        CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(config);
        services.byName().keySet().forEach(service -> {
            CircuitBreaker breaker = registry.circuitBreaker(service);
            breaker.getEventPublisher()
                    .onStateTransition(event -> log.warn(
                            "circuit breaker of {}: {}",
                            service,
                            event.getStateTransition().getFromState() + " -> "
                                    + event.getStateTransition().getToState()));
        });
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(registry).bindTo(meters);
        return registry;
    }

    static List<String> names(CircuitBreakerRegistry registry) {
        return registry.getAllCircuitBreakers().stream()
                .map(CircuitBreaker::getName)
                .toList();
    }
}
