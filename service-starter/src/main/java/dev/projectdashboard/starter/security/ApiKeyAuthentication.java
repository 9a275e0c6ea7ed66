package dev.projectdashboard.starter.security;

import java.util.List;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A caller identified by the shared {@code X-Api-Key}: before verification it carries the key sent. */
public final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    /** Authority every verified API-key caller gets. */
    public static final String SERVICE_AUTHORITY = "ROLE_SERVICE";

    /** Name of API-key callers, e.g. in logs. */
    public static final String PRINCIPAL = "service";

    private final String presentedKey;

    private ApiKeyAuthentication(String presentedKey, boolean verified) {
        super(verified ? List.of(new SimpleGrantedAuthority(SERVICE_AUTHORITY)) : List.of());
        this.presentedKey = presentedKey;
        setAuthenticated(verified);
    }

    static ApiKeyAuthentication unverified(String presentedKey) {
        return new ApiKeyAuthentication(presentedKey, false);
    }

    static ApiKeyAuthentication verified() {
        return new ApiKeyAuthentication(null, true);
    }

    @Override
    public Object getCredentials() {
        return presentedKey;
    }

    @Override
    public Object getPrincipal() {
        return PRINCIPAL;
    }
}
