package dev.projectdashboard.realtimeservice.hub;

import java.time.Instant;

/**
 * A join or leave on a channel with presence enabled.
 *
 * @param kind {@code join} or {@code leave}
 * @param info who joined or left
 */
public record PresenceChange(String kind, ClientInfo info) {

    /**
     * @param userId the JWT {@code sub}
     * @param connectionId the connection's id
     * @param transport {@code websocket} or {@code socket.io}
     * @param connectedAt when the connection was opened
     */
    public record ClientInfo(String userId, String connectionId, String transport, Instant connectedAt) {}
}
