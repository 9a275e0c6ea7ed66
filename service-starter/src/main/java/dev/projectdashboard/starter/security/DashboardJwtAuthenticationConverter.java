package dev.projectdashboard.starter.security;

import java.util.List;
import java.util.Locale;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;

/** Turns a verified JWT into a {@link DashboardAuthentication}: each role becomes {@code ROLE_<UPPER>}. */
public class DashboardJwtAuthenticationConverter implements Converter<Jwt, Mono<DashboardAuthentication>> {

    @Override
    public Mono<DashboardAuthentication> convert(Jwt jwt) {
        DashboardPrincipal principal = DashboardPrincipal.from(jwt);
        List<GrantedAuthority> authorities = principal.roles().stream()
                .sorted()
                .<GrantedAuthority>map(role -> new SimpleGrantedAuthority("ROLE_" + role.toUpperCase(Locale.ROOT)))
                .toList();
        return Mono.just(new DashboardAuthentication(jwt, principal, authorities));
    }
}
