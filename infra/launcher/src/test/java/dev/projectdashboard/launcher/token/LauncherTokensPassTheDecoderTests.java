package dev.projectdashboard.launcher.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DashboardJwtDecoders;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import dev.projectdashboard.starter.security.DashboardSecurityProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;

/**
 * The launcher mints its tokens by hand (it runs without Spring or a JSON library), the services verify them with the
 * starter's decoder: this test holds the two together, so {@code ./dashboard token} never hands out a token the suite
 * refuses.
 */
class LauncherTokensPassTheDecoderTests {

    private static final Instant NOW = Instant.parse("2026-11-22T23:00:00Z");

    private final ReactiveJwtDecoder decoder = DashboardJwtDecoders.create(
            new DashboardSecurityProperties(
                    DevDefaults.JWT_SECRET, null, DevDefaults.API_KEY, List.of(), List.of(), List.of(), List.of()),
            Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC));

    @Test
    void theLaunchersDevelopmentSecretIsTheServicesDefault() {
        assertThat(DevTokens.DEV_JWT_SECRET).isEqualTo(DevDefaults.JWT_SECRET);
    }

    @Test
    void anAdminTokenIsAcceptedWithItsRolesProjectsAndDevices() {
        String token = DevTokens.mint(
                new DevTokens.Claims("dev", true, List.of("*"), List.of("*")),
                DevTokens.DEV_JWT_SECRET,
                NOW,
                Duration.ofHours(8));

        DashboardPrincipal principal =
                DashboardPrincipal.from(decoder.decode(token).block());

        assertThat(principal.userId()).isEqualTo("dev");
        assertThat(principal.isAdmin()).isTrue();
        assertThat(principal.roles()).isEqualTo(Set.of("user", "admin"));
        assertThat(principal.mayWatchProject("any-project")).isTrue();
        assertThat(principal.mayActForDevice("any-device")).isTrue();
    }

    @Test
    void aUserTokenIsAcceptedWithExactlyItsProjectsAndDevices() {
        String token = DevTokens.mint(
                new DevTokens.Claims("alice", false, List.of("alpha", "beta"), List.of("cam-1")),
                DevTokens.DEV_JWT_SECRET,
                NOW,
                Duration.ofMinutes(30));

        Jwt jwt = decoder.decode(token).block();
        DashboardPrincipal principal = DashboardPrincipal.from(jwt);

        assertThat(jwt.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
        assertThat(principal.isAdmin()).isFalse();
        assertThat(principal.projects()).isEqualTo(Set.of("alpha", "beta"));
        assertThat(principal.devices()).isEqualTo(Set.of("cam-1"));
        assertThat(principal.mayWatchProject("gamma")).isFalse();
    }

    @Test
    void aTokenPastItsExpiryIsRefused() {
        String token = DevTokens.mint(
                new DevTokens.Claims("alice", false, List.of(), List.of()),
                DevTokens.DEV_JWT_SECRET,
                NOW.minus(Duration.ofHours(2)),
                Duration.ofHours(1));

        assertThatThrownBy(() -> decoder.decode(token).block()).isInstanceOf(JwtValidationException.class);
    }
}
