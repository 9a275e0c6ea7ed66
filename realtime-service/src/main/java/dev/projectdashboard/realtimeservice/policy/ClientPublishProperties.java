package dev.projectdashboard.realtimeservice.policy;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Client publish ({@code dashboard.realtime.client-publish.*}): which channel namespaces accept publications from
 * connected clients (e.g. typing indicators on {@code chat:}), and how fast one connection may publish. Everything
 * else refuses client publish. Client publications are ephemeral: delivered to current subscribers, not kept in
 * history.
 *
 * @param namespaces namespaces open to client publish, e.g. {@code DASHBOARD_REALTIME_CLIENTPUBLISH_NAMESPACES=chat};
 *     empty (the default) turns client publish off. A namespace listed here that is not built in also becomes
 *     subscribable by every authenticated user (or through the subscribe proxy when one is configured for it)
 * @param ratePerSecond publications per second one connection may sustain
 * @param burst publications one connection may send at once after being quiet
 * @param maxDataSize largest {@code data} of one client publication (serialised JSON)
 */
@Validated
@ConfigurationProperties("dashboard.realtime.client-publish")
public record ClientPublishProperties(
        @NotNull @DefaultValue List<String> namespaces,
        @DecimalMin("0.01") @DefaultValue("5") double ratePerSecond,
        @Min(1) @Max(10_000) @DefaultValue("10") int burst,
        @NotNull @DefaultValue("4KB") DataSize maxDataSize) {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public ClientPublishProperties {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        for (String namespace : namespaces) {
            if (!NAMESPACE.matcher(namespace).matches()) {
                throw new IllegalArgumentException("dashboard.realtime.client-publish.namespaces: '" + namespace
                        + "' is not a channel namespace ([a-z][a-z0-9_-]*)");
            }
        }
        if (maxDataSize != null && maxDataSize.toBytes() < 1) {
            throw new IllegalArgumentException("dashboard.realtime.client-publish.max-data-size must be positive");
        }
    }

    /** Whether clients may publish to channels of this namespace. */
    public boolean allows(String namespace) {
        return namespaces.contains(namespace);
    }
}
