package dev.projectdashboard.realtimeservice.transport;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How WebSocket connections (native {@code /ws} and Socket.IO) are run: outbound queue, frame size, heartbeat.
 *
 * @param outboxBytes bytes of rendered frames a connection may have queued and not yet handed to the socket; over
 *     it the client is too slow and is closed with 3008. Frames already handed to Netty (at most 128) and the
 *     kernel's send buffer come on top.
 * @param maxFrameSize largest inbound frame; bigger ones close the connection with 1009 (Netty)
 * @param pingInterval how often the server sends a WebSocket ping (Socket.IO: an Engine.IO ping {@code 2})
 * @param pongTimeout a client that sent nothing (no pong, no frame) for {@code ping-interval + pong-timeout} is
 *     closed with 3012
 * @param closeGrace how long a closing connection may take to flush its close frame before the TCP connection is
 *     cut: a client that stops reading would otherwise hold the socket forever
 * @param allowAnonymous accept {@code /ws} without a token (local development only): the user id is then {@code
 *     anonymous-<random>}; a present but bad token is still refused
 */
@Validated
@ConfigurationProperties("dashboard.realtime.connections")
public record ConnectionProperties(
        @NotNull @DefaultValue("1MB") DataSize outboxBytes,
        @NotNull @DefaultValue("64KB") DataSize maxFrameSize,
        @NotNull @DefaultValue("25s") Duration pingInterval,
        @NotNull @DefaultValue("20s") Duration pongTimeout,
        @NotNull @DefaultValue("5s") Duration closeGrace,
        @DefaultValue("false") boolean allowAnonymous) {

    public ConnectionProperties {
        require(outboxBytes == null || outboxBytes.toBytes() > 0, "outbox-bytes must be positive");
        require(
                maxFrameSize == null || maxFrameSize.toBytes() > 0 && maxFrameSize.toBytes() <= Integer.MAX_VALUE,
                "max-frame-size must be between 1 byte and 2GB");
        require(
                outboxBytes == null || maxFrameSize == null || outboxBytes.toBytes() >= maxFrameSize.toBytes(),
                "outbox-bytes must be at least max-frame-size, or a single large frame would cut any client off");
        require(pingInterval == null || pingInterval.toMillis() >= 100, "ping-interval must be at least 100ms");
        require(pongTimeout == null || pongTimeout.toMillis() >= 100, "pong-timeout must be at least 100ms");
        require(closeGrace == null || !closeGrace.isNegative(), "close-grace must not be negative");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("dashboard.realtime.connections." + message);
        }
    }
}
