package dev.projectdashboard.eventbus.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.eventbus.redis.EventBusMetrics;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

@LocalStackTest
class EventBusAutoConfigurationTests {

    private final ApplicationContextRunner runner =
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(EventBusAutoConfiguration.class));

    private static String redisUrl() {
        return LocalStackExtension.localStack().redisUri();
    }

    private static CloudEvent<Notification> notification() {
        return CloudEvent.of(
                EventTypes.NOTIFICATION,
                "/tests",
                "system:notifications",
                new Notification(null, "hello", "world", "info", null));
    }

    @Test
    void providesPublisherConsumersAndAnUpHealthIndicatorForTheConfiguredRedis() {
        runner.withPropertyValues("dashboard.event-bus.redis-url=" + redisUrl())
                .withBean(SimpleMeterRegistry.class)
                .run(context -> {
                    assertThat(context)
                            .hasSingleBean(RedisClient.class)
                            .hasSingleBean(RedisConnections.class)
                            .hasSingleBean(EventPublisher.class)
                            .hasSingleBean(EventStreams.class)
                            .hasBean("eventBusHealthIndicator");
                    ReactiveHealthIndicator health =
                            context.getBean("eventBusHealthIndicator", ReactiveHealthIndicator.class);
                    StepVerifier.create(health.health().map(Health::getStatus))
                            .expectNext(Status.UP)
                            .verifyComplete();
                    StepVerifier.create(context.getBean(EventPublisher.class).publish(notification()))
                            .expectNextMatches(id -> id.matches("\\d+-\\d+"))
                            .verifyComplete();
                    assertThat(context.getBean(MeterRegistry.class)
                                    .get(EventBusMetrics.PUBLISHED)
                                    .tag("stream", Streams.NOTIFICATIONS)
                                    .counter()
                                    .count())
                            .isEqualTo(1);
                });
    }

    @Test
    void reportsDownAndRefusesToPublishWhenRedisIsUnreachable() {
        runner.withPropertyValues(
                        "dashboard.event-bus.redis-url=redis://127.0.0.1:1", "dashboard.event-bus.command-timeout=2s")
                .run(context -> {
                    ReactiveHealthIndicator health =
                            context.getBean("eventBusHealthIndicator", ReactiveHealthIndicator.class);
                    StepVerifier.create(health.health())
                            .assertNext(result -> {
                                assertThat(result.getStatus()).isEqualTo(Status.DOWN);
                                assertThat(result.getDetails()).containsEntry("redis", "127.0.0.1:1");
                            })
                            .expectComplete()
                            .verify(Duration.ofSeconds(10));
                    StepVerifier.create(context.getBean(EventPublisher.class).publish(notification()))
                            .expectError(EventBusUnavailableException.class)
                            .verify(Duration.ofSeconds(10));
                });
    }

    @Test
    void takesRedisFromTheRedisUrlVariableWhenNotConfigured() {
        runner.withPropertyValues("REDIS_URL=redis://127.0.0.1:6390").run(context -> assertThat(
                        context.getBean(RedisConnections.class).describe())
                .isEqualTo("127.0.0.1:6390"));
        runner.run(context ->
                assertThat(context.getBean(RedisConnections.class).describe()).isEqualTo("localhost:6379"));
    }

    @Test
    void bindsPerStreamMaxlenAndConsumerDefaults() {
        // the key holds ':', which withPropertyValues would take for a separator
        runner.withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new MapPropertySource(
                                "maxlen", Map.of("dashboard.event-bus.maxlen.[events:tasks]", "500"))))
                .withPropertyValues(
                        "dashboard.event-bus.consumer.batch-size=7", "dashboard.event-bus.consumer.claim-idle=2m")
                .run(context -> {
                    EventBusProperties properties = context.getBean(EventBusProperties.class);
                    assertThat(properties.publisherOptions().maxlen(Streams.TASKS))
                            .isEqualTo(500);
                    assertThat(properties.publisherOptions().maxlen(Streams.FILES))
                            .isEqualTo(100_000);
                    assertThat(context.getBean(EventStreams.class).defaults().batchSize())
                            .isEqualTo(7);
                    assertThat(context.getBean(EventStreams.class).defaults().claimIdle())
                            .isEqualTo(Duration.ofMinutes(2));
                });
    }

    @Test
    void rejectsAHandlerTimeoutNotShorterThanTheClaimIdleTime() {
        runner.withPropertyValues(
                        "dashboard.event-bus.consumer.claim-idle=10s",
                        "dashboard.event-bus.consumer.handler-timeout=10s")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("dashboard.event-bus.consumer.handler-timeout"));
    }

    @Test
    void rejectsAnInvalidBatchSize() {
        runner.withPropertyValues("dashboard.event-bus.consumer.batch-size=0")
                .withConfiguration(AutoConfigurations.of(
                        org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure().hasStackTraceContaining("batchSize"));
    }

    @Test
    void backsOffForTheApplicationsOwnBeansAndCanBeSwitchedOff() {
        EventPublisher own = (stream, event) -> Mono.just("0-1");
        runner.withBean(EventPublisher.class, () -> own)
                .run(context ->
                        assertThat(context.getBean(EventPublisher.class)).isSameAs(own));
        runner.withPropertyValues("dashboard.event-bus.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(EventPublisher.class)
                .doesNotHaveBean(RedisClient.class));
    }
}
