package dev.projectdashboard.gateway.cors;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Cross-origin access to the gateway ({@code dashboard.gateway.cors.*}); the page itself is same-origin and needs none.
 *
 * @param allowedOrigins origins (or patterns such as {@code https://*.example.com}) whose pages may call the API,
 *     comma-separated in {@code GATEWAY_CORS_ALLOWED_ORIGINS}; empty: same-origin only, a cross-origin request or
 *     preflight is a 403
 * @param allowedMethods methods a cross-origin page may use
 * @param allowedHeaders request headers a cross-origin page may send
 * @param exposedHeaders response headers a cross-origin page may read
 * @param maxAge how long a browser may cache a preflight's answer
 */
@Validated
@ConfigurationProperties("dashboard.gateway.cors")
public record CorsProperties(
        @NotNull @DefaultValue List<String> allowedOrigins,
        @NotNull @DefaultValue({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"}) List<String> allowedMethods,
        @NotNull @DefaultValue({"Authorization", "Content-Type", "X-Correlation-Id"}) List<String> allowedHeaders,
        @NotNull @DefaultValue({"Retry-After", "X-Correlation-Id", "Location", "Content-Disposition"})
                List<String> exposedHeaders,
        @NotNull @DefaultValue("30m") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = allowedOrigins == null
                ? List.of()
                : allowedOrigins.stream()
                        .map(String::trim)
                        .filter(origin -> !origin.isEmpty())
                        .toList();
    }
}
