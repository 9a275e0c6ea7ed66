package dev.projectdashboard.realtimeservice.transport;

import org.springframework.stereotype.Component;

/**
 * What every {@link WebSocketConnection} needs from the replica, in one constructor argument: the connection
 * settings, the meters and the heartbeat.
 */
@Component
public record ConnectionSupport(
        ConnectionProperties properties, TransportMetrics metrics, ConnectionSupervisor supervisor) {}
