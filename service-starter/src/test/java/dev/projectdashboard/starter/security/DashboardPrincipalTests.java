package dev.projectdashboard.starter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class DashboardPrincipalTests {

    @Test
    void readsListClaimsAndLowerCasesRoles() {
        DashboardPrincipal user = DashboardPrincipal.from(jwt(
                Map.of("roles", List.of("Admin"), "projects", List.of("demo", "site"), "devices", List.of("cam-1"))));

        assertThat(user.userId()).isEqualTo("u1");
        assertThat(user.roles()).containsExactly("admin");
        assertThat(user.isAdmin()).isTrue();
        assertThat(user.projects()).containsExactlyInAnyOrder("demo", "site");
    }

    @Test
    void wildcardStringGrantsEveryProjectAndDevice() {
        DashboardPrincipal user = DashboardPrincipal.from(jwt(Map.of("projects", "*", "devices", List.of("*"))));

        assertThat(user.isAdmin()).isFalse();
        assertThat(user.mayWatchProject("anything")).isTrue();
        assertThat(user.mayActForDevice("cam-9")).isTrue();
    }

    @Test
    void userWithoutClaimsMayNothing() {
        DashboardPrincipal user = DashboardPrincipal.from(jwt(Map.of()));

        assertThat(user.roles()).isEmpty();
        assertThat(user.mayWatchProject("demo")).isFalse();
        assertThat(user.mayActForDevice("cam-1")).isFalse();
    }

    @Test
    void listedProjectOnlyGrantsThatProject() {
        DashboardPrincipal user = DashboardPrincipal.from(jwt(Map.of("projects", List.of("demo"))));

        assertThat(user.mayWatchProject("demo")).isTrue();
        assertThat(user.mayWatchProject("other")).isFalse();
    }

    @Test
    void converterMapsEachRoleToUpperCaseAuthority() {
        DashboardAuthentication authentication = new DashboardJwtAuthenticationConverter()
                .convert(jwt(Map.of("roles", List.of("admin", "viewer"))))
                .block();

        assertThat(authentication.getAuthorities())
                .extracting(Object::toString)
                .containsExactly("ROLE_ADMIN", "ROLE_VIEWER");
        assertThat(authentication.getName()).isEqualTo("u1");
        assertThat(authentication.getToken().getSubject()).isEqualTo("u1");
    }

    private static Jwt jwt(Map<String, Object> claims) {
        Jwt.Builder builder = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .subject("u1")
                .expiresAt(Instant.now().plusSeconds(60));
        claims.forEach(builder::claim);
        return builder.build();
    }
}
