package dev.projectdashboard.starter.security;

import org.springframework.security.config.web.server.ServerHttpSecurity;

/**
 * Lets a service add access rules without replacing the starter's filter chain. Its rules are applied
 * before the defaults, so they win for the paths they name; they must not use {@code anyExchange()}.
 *
 * <pre>{@code
 * @Bean
 * DashboardSecurityCustomizer publishRules() {
 *     return exchanges -> exchanges
 *             .pathMatchers(HttpMethod.POST, "/api/v1/realtime/publish").access(DashboardAuthorization.serviceOrAdmin());
 * }
 * }</pre>
 *
 * <p>To change everything, define a {@code SecurityWebFilterChain} bean instead.
 */
@FunctionalInterface
public interface DashboardSecurityCustomizer {

    /** Adds rules; called in bean order. */
    void customize(ServerHttpSecurity.AuthorizeExchangeSpec exchanges);
}
