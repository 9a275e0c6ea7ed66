package dev.projectdashboard.starter.security;

import java.util.Set;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ReactiveAuthorizationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.web.server.authorization.AuthorizationContext;

/** The access rules the suite uses, for services' {@link DashboardSecurityCustomizer}s. */
public final class DashboardAuthorization {

    /** Authority of users with the {@code admin} role. */
    public static final String ADMIN_AUTHORITY = "ROLE_ADMIN";

    private DashboardAuthorization() {}

    /** Any caller with a valid user JWT (an API key alone is not enough). */
    public static ReactiveAuthorizationManager<AuthorizationContext> user() {
        return (authentication, context) -> authentication
                .<AuthorizationResult>map(auth -> new AuthorizationDecision(
                        auth.isAuthenticated() && auth.getPrincipal() instanceof DashboardPrincipal))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }

    /** Callers with a valid user JWT of an admin. */
    public static ReactiveAuthorizationManager<AuthorizationContext> admin() {
        return anyOf(ADMIN_AUTHORITY);
    }

    /** Callers with the {@code X-Api-Key}, or a user JWT of an admin (e.g. publish and notification APIs). */
    public static ReactiveAuthorizationManager<AuthorizationContext> serviceOrAdmin() {
        return anyOf(ApiKeyAuthentication.SERVICE_AUTHORITY, ADMIN_AUTHORITY);
    }

    private static ReactiveAuthorizationManager<AuthorizationContext> anyOf(String... authorities) {
        Set<String> accepted = Set.of(authorities);
        return (authentication, context) -> authentication
                .filter(Authentication::isAuthenticated)
                .<AuthorizationResult>map(auth -> new AuthorizationDecision(auth.getAuthorities().stream()
                        .map(GrantedAuthority::getAuthority)
                        .anyMatch(accepted::contains)))
                .defaultIfEmpty(new AuthorizationDecision(false));
    }
}
