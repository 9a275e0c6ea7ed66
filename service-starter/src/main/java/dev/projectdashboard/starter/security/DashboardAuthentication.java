package dev.projectdashboard.starter.security;

import java.util.Collection;
import java.util.Map;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * A verified user JWT whose principal is a {@link DashboardPrincipal}; the token stays available through
 * {@link #getToken()} for services that relay it.
 */
public class DashboardAuthentication extends AbstractOAuth2TokenAuthenticationToken<Jwt> {

    private final DashboardPrincipal principal;

    public DashboardAuthentication(
            Jwt jwt, DashboardPrincipal principal, Collection<? extends GrantedAuthority> authorities) {
        super(jwt, principal, jwt, authorities);
        this.principal = principal;
        setAuthenticated(true);
    }

    @Override
    public DashboardPrincipal getPrincipal() {
        return principal;
    }

    @Override
    public Map<String, Object> getTokenAttributes() {
        return getToken().getClaims();
    }

    @Override
    public String getName() {
        return principal.userId();
    }
}
