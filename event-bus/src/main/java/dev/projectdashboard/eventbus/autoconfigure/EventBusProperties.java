package dev.projectdashboard.eventbus.autoconfigure;

import dev.projectdashboard.eventbus.redis.ConsumerOptions;
import dev.projectdashboard.eventbus.redis.PublisherOptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the event bus ({@code dashboard.event-bus.*}).
 *
 * @param redisUrl Redis to use; when unset, {@code ${REDIS_URL:redis://localhost:6379}} (resolved by the
 *     auto-configuration, because {@code @DefaultValue} does not resolve placeholders)
 * @param commandTimeout how long any non-blocking Redis command (XADD, XACK, PING, …) may take
 * @param defaultMaxlen approximate MAXLEN of every stream without its own entry in {@code maxlen}
 * @param maxlen approximate MAXLEN per stream; keys contain ':', so write them as {@code "[events:tasks]"}
 * @param consumer defaults for group consumers and tailers
 */
@ConfigurationProperties("dashboard.event-bus")
@Validated
public record EventBusProperties(
        String redisUrl,
        @DefaultValue("5s") @NotNull Duration commandTimeout,
        @DefaultValue("100000") @Min(1) long defaultMaxlen,
        Map<String, @NotNull @Min(1) Long> maxlen,
        @DefaultValue @Valid Consumer consumer) {

    /** Where Redis is when nothing is configured: the suite-wide REDIS_URL variable, else a local server. */
    public static final String REDIS_URL_DEFAULT = "${REDIS_URL:redis://localhost:6379}";

    public EventBusProperties {
        maxlen = maxlen == null ? Map.of() : Map.copyOf(maxlen);
    }

    /**
     * Binds {@code settings} (names relative to {@code dashboard.event-bus}, e.g. {@code consumer.batch-size=5}) over
     * the defaults declared above, exactly as the application binds its configuration: for code that builds the bus
     * without a Spring context (tests, the benchmark harness), so the defaults exist once.
     */
    public static EventBusProperties bind(String... settings) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String setting : settings) {
            int equals = setting.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("expected name=value, got " + setting);
            }
            properties.put("dashboard.event-bus." + setting.substring(0, equals), setting.substring(equals + 1));
        }
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("dashboard.event-bus", EventBusProperties.class);
    }

    public PublisherOptions publisherOptions() {
        return new PublisherOptions(commandTimeout, defaultMaxlen, maxlen);
    }

    /**
     * Group consumer and tailer defaults.
     *
     * @param batchSize COUNT of one XREADGROUP / XREAD / XAUTOCLAIM
     * @param blockTimeout BLOCK of one read
     * @param inFlight entries one consumer handles at the same time
     * @param claimIdle entries pending longer than this are claimed from their (dead) consumer and handled again
     * @param claimInterval how often each consumer looks for such entries
     * @param maxDeliveries failed deliveries after which an entry goes to {@code events:dead}
     * @param handlerTimeout a handler not done by then has failed; must be shorter than {@code claimIdle}
     * @param groupStartId where a new group starts: {@code $} (new entries only) or {@code 0} (all retained)
     * @param consumerName this replica's consumer name; unset for {@code $HOSTNAME-<random>}
     * @param gaugeInterval how often the pending and lag gauges are refreshed
     */
    public record Consumer(
            @DefaultValue("32") @Min(1) int batchSize,
            @DefaultValue("2s") @NotNull Duration blockTimeout,
            @DefaultValue("16") @Min(1) int inFlight,
            @DefaultValue("60s") @NotNull Duration claimIdle,
            @DefaultValue("5s") @NotNull Duration claimInterval,
            @DefaultValue("5") @Min(1) int maxDeliveries,
            @DefaultValue("30s") @NotNull Duration handlerTimeout,
            @DefaultValue("$") @NotBlank String groupStartId,
            String consumerName,
            @DefaultValue("10s") @NotNull Duration gaugeInterval) {

        public Consumer {
            if (handlerTimeout != null && claimIdle != null && handlerTimeout.compareTo(claimIdle) >= 0) {
                throw new IllegalArgumentException("dashboard.event-bus.consumer.handler-timeout (" + handlerTimeout
                        + ") must be shorter than dashboard.event-bus.consumer.claim-idle (" + claimIdle
                        + "), or a slow handler's entry is claimed by another replica while it still runs");
            }
        }

        public ConsumerOptions toOptions() {
            return new ConsumerOptions(
                    batchSize,
                    blockTimeout,
                    inFlight,
                    claimIdle,
                    claimInterval,
                    maxDeliveries,
                    handlerTimeout,
                    groupStartId,
                    consumerName,
                    gaugeInterval);
        }
    }
}
