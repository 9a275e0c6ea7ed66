package dev.projectdashboard.realtimeservice.transport;

import dev.projectdashboard.realtimeservice.hub.CloseReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.stereotype.Component;

/**
 * The connection meters: {@code dashboard.realtime.connections{transport}} (open connections of this replica),
 * {@code dashboard.realtime.frames.sent{transport}}, {@code
 * dashboard.realtime.delivery.latency{transport}} (publication time → frame handed to the socket) and {@code
 * dashboard.realtime.disconnects{reason}} (reason = the {@link CloseReason} in lower case, or {@code client} when the
 * client closed).
 */
@Component
public class TransportMetrics {

    /** Disconnect reason tag when the client closed or the network dropped. */
    public static final String CLIENT = "client";

    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, Meters> byTransport = new ConcurrentHashMap<>();
    private final Map<String, Counter> disconnects = new ConcurrentHashMap<>();

    public TransportMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The meters of one transport ({@code websocket}, {@code socket.io}); look up once per connection. */
    public Meters of(String transport) {
        return byTransport.computeIfAbsent(transport, this::register);
    }

    public void disconnected(CloseReason reason) {
        disconnected(reason.name().toLowerCase(Locale.ROOT));
    }

    /** @param reason a {@link CloseReason} name in lower case, or {@link #CLIENT} */
    public void disconnected(String reason) {
        disconnects
                .computeIfAbsent(reason, tag -> Counter.builder("dashboard.realtime.disconnects")
                        .description("Connections closed, by reason")
                        .tag("reason", tag)
                        .register(registry))
                .increment();
    }

    private Meters register(String transport) {
        Counter sent = Counter.builder("dashboard.realtime.frames.sent")
                .description("Text frames handed to client sockets")
                .tag("transport", transport)
                .register(registry);
        Timer latency = Timer.builder("dashboard.realtime.delivery.latency")
                .description("Event time (CloudEvent time) to frame handed to the client's socket")
                .tag("transport", transport)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        AtomicInteger open = new AtomicInteger();
        Gauge.builder("dashboard.realtime.connections", open, AtomicInteger::get)
                .description("Open client connections on this replica")
                .tag("transport", transport)
                .register(registry);
        return new Meters(sent, latency, open, clock);
    }

    /** The per-transport meters a connection updates on every frame. */
    public record Meters(Counter framesSent, Timer deliveryLatency, AtomicInteger open, Clock clock) {

        void sent(long eventEpochMillis) {
            framesSent.increment();
            if (eventEpochMillis > 0) {
                // producers' clocks may be ahead of ours: a negative latency is recorded as 0
                deliveryLatency.record(Math.max(0, clock.millis() - eventEpochMillis), TimeUnit.MILLISECONDS);
            }
        }
    }
}
