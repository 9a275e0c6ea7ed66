package dev.projectdashboard.realtimeservice.socketio;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The Socket.IO endpoint ({@code /socket.io/}, Engine.IO v4 over WebSocket). Ping interval, pong timeout, outbox
 * and frame limits are shared with the native endpoint ({@code dashboard.realtime.connections}).
 *
 * @param namespaces Socket.IO namespaces a client may CONNECT to; all carry the same events. {@code /} is the
 *     default namespace, {@code /project-dashboard/ws} is where the deployment dashboard's frontend (docs/contracts.md) connects (its URL's path
 *     becomes the namespace). Others are refused with {@code Invalid namespace}, as the stock server does.
 * @param connectTimeout a connection that has not connected any namespace this long after the upgrade is closed
 */
@Validated
@ConfigurationProperties("dashboard.realtime.socketio")
public record SocketIoProperties(
        @NotEmpty @DefaultValue({"/", "/project-dashboard/ws"}) List<String> namespaces,
        @NotNull @DefaultValue("10s") Duration connectTimeout) {

    public SocketIoProperties {
        if (namespaces != null) {
            for (String namespace : namespaces) {
                if (namespace == null || !namespace.startsWith("/") || namespace.contains(",")) {
                    throw new IllegalArgumentException("dashboard.realtime.socketio.namespaces: '" + namespace
                            + "' must start with '/' and contain no ','");
                }
            }
            namespaces = List.copyOf(namespaces);
        }
        if (connectTimeout != null && connectTimeout.toMillis() < 100) {
            throw new IllegalArgumentException("dashboard.realtime.socketio.connect-timeout must be at least 100ms");
        }
    }

    /** The defaults, for tests that build the endpoint without Spring. */
    public static SocketIoProperties defaults() {
        return new SocketIoProperties(List.of("/", "/project-dashboard/ws"), Duration.ofSeconds(10));
    }
}
