package dev.projectdashboard.eventbus.autoconfigure;

import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.redis.EventBusMetrics;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.eventbus.redis.RedisEventPublisher;
import io.lettuce.core.RedisClient;
import io.lettuce.core.resource.ClientResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Wires the event bus into a Spring Boot application: Redis client and connections (closed on shutdown), the
 * {@link EventPublisher}, the {@link EventStreams} factory for group consumers and tailers, and the {@code eventBus}
 * health indicator. Every bean backs off when the application defines its own.
 */
@AutoConfiguration
@ConditionalOnClass(RedisClient.class)
@ConditionalOnBooleanProperty(name = "dashboard.event-bus.enabled", matchIfMissing = true)
@EnableConfigurationProperties(EventBusProperties.class)
public class EventBusAutoConfiguration {

    /**
     * Lettuce resources of the event bus only; not a default candidate, so Spring Data Redis (if present) still
     * creates and injects its own.
     */
    @Bean(destroyMethod = "shutdown", defaultCandidate = false)
    @ConditionalOnMissingBean(name = "eventBusClientResources")
    ClientResources eventBusClientResources() {
        return RedisConnections.clientResources();
    }

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    RedisClient eventBusRedisClient(
            @Qualifier("eventBusClientResources") ClientResources resources,
            EventBusProperties properties,
            Environment environment) {
        return RedisConnections.createClient(resources, redisUrl(properties, environment), properties.commandTimeout());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    RedisConnections eventBusConnections(RedisClient client, EventBusProperties properties, Environment environment) {
        return new RedisConnections(client, redisUrl(properties, environment), properties.commandTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    EventCodec eventCodec() {
        return new EventCodec();
    }

    @Bean
    @ConditionalOnMissingBean
    EventBusMetrics eventBusMetrics(ObjectProvider<MeterRegistry> registry) {
        return new EventBusMetrics(registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    @ConditionalOnMissingBean
    EventPublisher eventPublisher(
            RedisConnections connections, EventCodec codec, EventBusMetrics metrics, EventBusProperties properties) {
        return new RedisEventPublisher(connections, codec, metrics, properties.publisherOptions());
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    EventStreams eventStreams(
            RedisConnections connections, EventCodec codec, EventBusMetrics metrics, EventBusProperties properties) {
        return new EventStreams(
                connections, codec, metrics, properties.consumer().toOptions(), properties.publisherOptions());
    }

    private static String redisUrl(EventBusProperties properties, Environment environment) {
        return properties.redisUrl() != null && !properties.redisUrl().isBlank()
                ? properties.redisUrl()
                : environment.resolvePlaceholders(EventBusProperties.REDIS_URL_DEFAULT);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ReactiveHealthIndicator.class)
    static class HealthConfiguration {

        /** Named so that the contributor is {@code eventBus}, for readiness groups. */
        @Bean
        @ConditionalOnMissingBean(name = "eventBusHealthIndicator")
        EventBusHealthIndicator eventBusHealthIndicator(RedisConnections connections) {
            return new EventBusHealthIndicator(connections);
        }
    }
}
