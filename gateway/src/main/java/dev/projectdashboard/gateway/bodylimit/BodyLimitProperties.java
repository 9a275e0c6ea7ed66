package dev.projectdashboard.gateway.bodylimit;

import jakarta.validation.constraints.NotNull;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The largest request bodies the routes take ({@code dashboard.gateway.body-limit.limits.<name>}), by name; a route
 * picks one with {@code BodyLimit=<name>}.
 *
 * @param limits e.g. {@code api} ({@code GATEWAY_BODY_LIMIT_API}), {@code webhook} ({@code GATEWAY_BODY_LIMIT_WEBHOOK}),
 *     {@code upload} ({@code GATEWAY_BODY_LIMIT_UPLOAD})
 */
@Validated
@ConfigurationProperties("dashboard.gateway.body-limit")
public record BodyLimitProperties(@NotNull @DefaultValue Map<String, @NotNull DataSize> limits) {

    /** The limit of that name; a route naming one that is not configured fails when the routes are built. */
    public DataSize limit(String name) {
        DataSize limit = name == null ? null : limits.get(name);
        if (limit == null || limit.toBytes() < 0) {
            throw new IllegalArgumentException("BodyLimit names limit '" + name
                    + "', but dashboard.gateway.body-limit.limits." + name + " is not set to a size (configured: "
                    + limits.keySet() + ")");
        }
        return limit;
    }
}
