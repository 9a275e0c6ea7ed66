package dev.projectdashboard.realtimeservice.transport;

import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * What every {@link WebSocketConnection} needs from the replica, in one constructor argument: the connection
 * settings, the meters, the heartbeat and the clock.
 */
@Component
public record ConnectionSupport(
        ConnectionProperties properties, TransportMetrics metrics, ConnectionSupervisor supervisor, Clock clock) {}
