package dev.projectdashboard.gateway.websocket;

import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.validation.annotation.Validated;

/**
 * realtime-service's settings that decide whether its native {@code /ws} takes connections without a token, read under
 * the same names (the environment given to {@code ./dashboard up} reaches every service), so the gateway refuses a
 * token-less upgrade exactly when realtime-service would.
 *
 * @param connections {@code dashboard.realtime.connections.allow-anonymous}
 *     ({@code DASHBOARD_REALTIME_CONNECTIONS_ALLOW_ANONYMOUS}): local development without tokens
 * @param publicAccess {@code dashboard.realtime.public.projects} ({@code DASHBOARD_REALTIME_PUBLIC_PROJECTS}): project
 *     names, or {@code *}, that connections without a token may read; empty: every connection needs a token
 */
@Validated
@ConfigurationProperties("dashboard.realtime")
public record RealtimeAccessProperties(
        @NotNull @DefaultValue Connections connections,
        @NotNull @Name("public") @DefaultValue PublicAccess publicAccess) {

    /** @param allowAnonymous whether {@code /ws} takes connections without a token */
    public record Connections(@DefaultValue("false") boolean allowAnonymous) {}

    /** @param projects projects readable without a token, or {@code *} */
    public record PublicAccess(@DefaultValue List<String> projects) {

        public PublicAccess {
            projects = projects == null
                    ? List.of()
                    : projects.stream().filter(project -> !project.isBlank()).toList();
        }
    }

    /** Whether realtime-service admits a native WebSocket without a token (a token that is sent is still checked). */
    public boolean admitsTokenlessWebSocket() {
        return connections.allowAnonymous() || !publicAccess.projects().isEmpty();
    }
}
