package dev.projectdashboard.starter.server;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a service's HTTP server waits for a client that sends a request body ({@code dashboard.server.*}). The
 * keep-alive side is Boot's {@code server.netty.idle-timeout}, which the starter defaults to 60 s.
 *
 * @param readTimeout longest pause between two reads of a request body (from {@code DASHBOARD_SERVER_READ_TIMEOUT}):
 *     a client that promised more bytes and sends none for this long is disconnected. It bounds the gaps, not the
 *     whole request, so a multi-GB upload from a slow but steady client is not cut off; it ends once the body has
 *     arrived, so WebSocket connections are not affected. A pause the service causes itself counts too (it reads no
 *     further while an upstream such as S3 is slow to take the previous chunk), so keep it above the longest such
 *     stall. 60 s, like nginx's {@code client_body_timeout}.
 */
@Validated
@ConfigurationProperties("dashboard.server")
public record DashboardServerProperties(@NotNull @DefaultValue("60s") Duration readTimeout) {

    public DashboardServerProperties {
        if (readTimeout != null && (readTimeout.isNegative() || readTimeout.isZero())) {
            throw new IllegalArgumentException("dashboard.server.read-timeout must be positive, was " + readTimeout);
        }
    }
}
