package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.problem.ProblemAutoConfiguration;
import dev.projectdashboard.starter.problem.ProblemResponseWriter;
import dev.projectdashboard.starter.time.ClockAutoConfiguration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.SecurityWebFiltersOrder;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.AuthenticationWebFilter;
import org.springframework.security.web.server.authentication.ServerAuthenticationEntryPointFailureHandler;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import reactor.core.publisher.Mono;

/**
 * Stateless security for every service: user JWTs on user-facing APIs, {@code X-Api-Key} on server APIs,
 * actuator probes and metrics open, every failure as problem JSON. Each bean can be replaced by a service.
 */
@AutoConfiguration(
        after = {ProblemAutoConfiguration.class, ClockAutoConfiguration.class},
        beforeName = {
            // Boot's resource server, user-details and default chains back off when ours exist
            "org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration",
            "org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@EnableWebFluxSecurity
@EnableConfigurationProperties(DashboardSecurityProperties.class)
public class DashboardSecurityAutoConfiguration {

    /** Actuator endpoints every deployment probes or scrapes without credentials. */
    public static final List<String> ACTUATOR_PUBLIC_PATHS =
            List.of("/actuator/health", "/actuator/health/**", "/actuator/info", "/actuator/prometheus");

    @Bean
    @ConditionalOnMissingBean
    public ReactiveJwtDecoder dashboardJwtDecoder(DashboardSecurityProperties properties, Clock clock) {
        return DashboardJwtDecoders.create(properties, clock);
    }

    @Bean
    @ConditionalOnMissingBean
    public DashboardJwtAuthenticationConverter dashboardJwtAuthenticationConverter() {
        return new DashboardJwtAuthenticationConverter();
    }

    @Bean
    @ConditionalOnMissingBean
    public ApiKeyVerifier dashboardApiKeyVerifier(DashboardSecurityProperties properties) {
        return new ApiKeyVerifier(properties.apiKey());
    }

    @Bean
    @ConditionalOnMissingBean
    public ProblemAuthenticationEntryPoint dashboardAuthenticationEntryPoint(
            ProblemResponseWriter writer, DashboardSecurityProperties properties) {
        return new ProblemAuthenticationEntryPoint(writer, matcher(properties.apiKeyPaths()));
    }

    @Bean
    @ConditionalOnMissingBean
    public ProblemAccessDeniedHandler dashboardAccessDeniedHandler(ProblemResponseWriter writer) {
        return new ProblemAccessDeniedHandler(writer);
    }

    /** Picked up by Spring Security's filter chain proxy for what its firewall refuses. */
    @Bean
    @ConditionalOnMissingBean(ServerExchangeRejectedHandler.class)
    public ProblemExchangeRejectedHandler dashboardExchangeRejectedHandler(ProblemResponseWriter writer) {
        return new ProblemExchangeRejectedHandler(writer);
    }

    @Bean
    @ConditionalOnMissingBean(SecurityWebFilterChain.class)
    public SecurityWebFilterChain dashboardSecurityWebFilterChain(
            ServerHttpSecurity http,
            DashboardSecurityProperties properties,
            ReactiveJwtDecoder jwtDecoder,
            DashboardJwtAuthenticationConverter jwtAuthenticationConverter,
            ApiKeyVerifier apiKeyVerifier,
            ProblemAuthenticationEntryPoint entryPoint,
            ProblemAccessDeniedHandler accessDeniedHandler,
            ObjectProvider<DashboardSecurityCustomizer> customizers) {
        List<String> publicPaths = new ArrayList<>(ACTUATOR_PUBLIC_PATHS);
        publicPaths.addAll(properties.publicPaths());
        publicPaths.addAll(properties.selfAuthenticatedPaths());
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .exceptionHandling(exceptions ->
                        exceptions.authenticationEntryPoint(entryPoint).accessDeniedHandler(accessDeniedHandler))
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .bearerTokenConverter(new DashboardBearerTokenConverter(
                                matcher(properties.queryTokenPaths()), matcher(properties.selfAuthenticatedPaths())))
                        .authenticationEntryPoint(entryPoint)
                        .accessDeniedHandler(accessDeniedHandler)
                        .jwt(jwt -> jwt.jwtDecoder(jwtDecoder).jwtAuthenticationConverter(jwtAuthenticationConverter)))
                .addFilterAt(apiKeyFilter(apiKeyVerifier, entryPoint), SecurityWebFiltersOrder.AUTHENTICATION)
                .authorizeExchange(exchanges -> {
                    customizers.orderedStream().forEach(customizer -> customizer.customize(exchanges));
                    exchanges.pathMatchers(publicPaths.toArray(String[]::new)).permitAll();
                    if (!properties.apiKeyPaths().isEmpty()) {
                        exchanges
                                .pathMatchers(properties.apiKeyPaths().toArray(String[]::new))
                                .hasAuthority(ApiKeyAuthentication.SERVICE_AUTHORITY);
                    }
                    exchanges.anyExchange().access(DashboardAuthorization.user());
                })
                .build();
    }

    /**
     * Verifies {@code X-Api-Key} on every request that sends one: a wrong key is a 401 wherever it is sent,
     * a right one grants {@code ROLE_SERVICE}, which the default rules accept on the API-key paths only.
     */
    private static AuthenticationWebFilter apiKeyFilter(
            ApiKeyVerifier verifier, ProblemAuthenticationEntryPoint entryPoint) {
        AuthenticationWebFilter filter = new AuthenticationWebFilter(new ApiKeyAuthenticationManager(verifier));
        filter.setRequiresAuthenticationMatcher(
                exchange -> exchange.getRequest().getHeaders().containsHeader(ApiKeyVerifier.HEADER)
                        ? ServerWebExchangeMatcher.MatchResult.match()
                        : ServerWebExchangeMatcher.MatchResult.notMatch());
        filter.setServerAuthenticationConverter(
                exchange -> Mono.justOrEmpty(exchange.getRequest().getHeaders().getFirst(ApiKeyVerifier.HEADER))
                        .map(ApiKeyAuthentication::unverified));
        filter.setAuthenticationFailureHandler(new ServerAuthenticationEntryPointFailureHandler(entryPoint));
        filter.setSecurityContextRepository(NoOpServerSecurityContextRepository.getInstance());
        return filter;
    }

    static ServerWebExchangeMatcher matcher(List<String> patterns) {
        if (patterns.isEmpty()) {
            return exchange -> ServerWebExchangeMatcher.MatchResult.notMatch();
        }
        return ServerWebExchangeMatchers.pathMatchers(patterns.toArray(String[]::new));
    }
}
