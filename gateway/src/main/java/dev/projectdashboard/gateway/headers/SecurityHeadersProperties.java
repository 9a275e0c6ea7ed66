package dev.projectdashboard.gateway.headers;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Security headers the gateway sets ({@code dashboard.gateway.headers.*}).
 *
 * @param pageContentSecurityPolicy the page's and its assets' {@code Content-Security-Policy}
 *     ({@code GATEWAY_PAGE_CONTENT_SECURITY_POLICY}, its default in {@code application.yml}): scripts and styles from
 *     the gateway's own files only, no inline script, WebSocket and fetch to the same origin, never framed
 * @param apiContentSecurityPolicy set on every other answer that has none of its own: JSON needs no resources, and a
 *     response opened in a browser runs nothing
 */
@Validated
@ConfigurationProperties("dashboard.gateway.headers")
public record SecurityHeadersProperties(
        @NotBlank String pageContentSecurityPolicy,
        @NotBlank @DefaultValue("default-src 'none'; frame-ancestors 'none'") String apiContentSecurityPolicy) {}
