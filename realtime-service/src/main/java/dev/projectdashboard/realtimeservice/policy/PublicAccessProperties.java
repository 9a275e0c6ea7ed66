package dev.projectdashboard.realtimeservice.policy;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Read access without a token ({@code dashboard.realtime.public.*}), for dashboards such as the deployment dashboard (docs/contracts.md), whose
 * frontend connects to the Socket.IO endpoint without any credentials. Off unless projects are listed.
 *
 * @param projects project names whose {@code project:} and {@code deployment:} channels connections without a token
 *     may read (never publish to, and nothing else), or {@code *} for every project; empty: connections need a token
 * @param clientAddressHeader the request header that names the client's address for the per-address connection
 *     limit: its last entry, the one the nearest proxy (the gateway) added ({@code X-Forwarded-For}); empty for the
 *     connection's own peer address (when clients reach this service directly)
 */
@Validated
@ConfigurationProperties("dashboard.realtime.public")
public record PublicAccessProperties(
        @NotNull @DefaultValue({}) List<String> projects,
        @NotNull @DefaultValue("X-Forwarded-For") String clientAddressHeader) {

    /** The value that opens every project. */
    public static final String ANY = "*";

    public PublicAccessProperties {
        projects = projects == null ? List.of() : List.copyOf(projects);
        for (String project : projects) {
            if (!ANY.equals(project)) {
                try {
                    ChannelName.of(ChannelName.PROJECT, project);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("dashboard.realtime.public.projects: '" + project
                            + "' is not a project name (1-128 of [A-Za-z0-9._@~+=-]) nor '*'");
                }
            }
        }
        clientAddressHeader = clientAddressHeader == null ? "" : clientAddressHeader.trim();
    }

    /** Whether connections without a token are admitted at all. */
    public boolean enabled() {
        return !projects.isEmpty();
    }

    /** Whether every project is public ({@code *}). */
    public boolean allowsEvery() {
        return projects.contains(ANY);
    }

    /** Whether a connection without a token may read this project. */
    public boolean allows(String project) {
        return projects.contains(ANY) || projects.contains(project);
    }
}
