package dev.projectdashboard.eventbus.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Micrometer meters of the event bus, tagged by {@code stream} (and {@code group}; a tailer counts under group
 * {@value #TAIL_GROUP}).
 */
public final class EventBusMetrics {

    public static final String PUBLISHED = "dashboard.events.published";
    public static final String PUBLISH_FAILED = "dashboard.events.publish_failed";
    public static final String CONSUMED = "dashboard.events.consumed";
    public static final String FAILED = "dashboard.events.failed";
    public static final String DEAD_LETTERED = "dashboard.events.dead_lettered";
    public static final String PENDING = "dashboard.events.pending";
    public static final String LAG = "dashboard.events.lag";
    public static final String TAIL_GROUP = "tail";

    private final MeterRegistry registry;
    private final Map<List<String>, GroupGauges> groupGauges = new HashMap<>();

    public EventBusMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public MeterRegistry registry() {
        return registry;
    }

    void published(String stream) {
        counter(PUBLISHED, "events appended to a stream", Tags.of("stream", stream))
                .increment();
    }

    void publishFailed(String stream) {
        counter(PUBLISH_FAILED, "events that could not be appended (Redis down or slow)", Tags.of("stream", stream))
                .increment();
    }

    void consumed(String stream, String group) {
        counter(CONSUMED, "entries handled (and acknowledged for a group)", Tags.of("stream", stream, "group", group))
                .increment();
    }

    void failed(String stream, String group) {
        counter(FAILED, "entries whose handling or decoding failed", Tags.of("stream", stream, "group", group))
                .increment();
    }

    void deadLettered(String stream, String group) {
        counter(DEAD_LETTERED, "entries moved to events:dead", Tags.of("stream", stream, "group", group))
                .increment();
    }

    /**
     * The pending and lag holders of a group, shared by every consumer of that group in this process (both are
     * group-wide values); the gauges read them, and the consumers refresh them from Redis in the background, so a
     * scrape never waits for Redis. Give them back with {@link #releaseGroupGauges}.
     */
    synchronized GroupGauges groupGauges(String stream, String group) {
        GroupGauges gauges = groupGauges.computeIfAbsent(List.of(stream, group), key -> {
            Tags tags = Tags.of("stream", stream, "group", group);
            AtomicLong pending = new AtomicLong();
            AtomicLong lag = new AtomicLong();
            List<Gauge> meters = List.of(
                    Gauge.builder(PENDING, pending, AtomicLong::get)
                            .description("entries delivered to the group but not yet acknowledged (XPENDING)")
                            .tags(tags)
                            .strongReference(true)
                            .register(registry),
                    Gauge.builder(LAG, lag, AtomicLong::get)
                            .description("entries not yet delivered to the group: XINFO GROUPS lag on Redis 7+,"
                                    + " else counted after last-delivered-id, capped at 1000")
                            .tags(tags)
                            .strongReference(true)
                            .register(registry));
            return new GroupGauges(pending, lag, meters, new AtomicLong());
        });
        gauges.users().incrementAndGet();
        return gauges;
    }

    synchronized void releaseGroupGauges(String stream, String group) {
        List<String> key = List.of(stream, group);
        GroupGauges gauges = groupGauges.get(key);
        if (gauges != null && gauges.users().decrementAndGet() <= 0) {
            groupGauges.remove(key);
            gauges.meters().forEach(registry::remove);
        }
    }

    record GroupGauges(AtomicLong pending, AtomicLong lag, List<Gauge> meters, AtomicLong users) {}

    private Counter counter(String name, String description, Tags tags) {
        return Counter.builder(name).description(description).tags(tags).register(registry);
    }
}
