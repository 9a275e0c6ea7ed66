package dev.projectdashboard.starter.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

class DashboardClaimsValidatorTests {

    private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

    private final DashboardClaimsValidator validator = new DashboardClaimsValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void acceptsATokenIssuedNowOrWithinTheSkewOrWithoutIssuedAt() {
        assertThat(validator.validate(token("alice", NOW)).hasErrors()).isFalse();
        assertThat(validator.validate(token("alice", NOW.plusSeconds(60))).hasErrors())
                .isFalse();
        assertThat(validator.validate(token("alice", null)).hasErrors()).isFalse();
    }

    @Test
    void refusesATokenIssuedLaterThanTheSkewAllows() {
        assertThat(descriptions(validator.validate(token("alice", NOW.plusSeconds(61)))))
                .containsExactly("The token's iat (issued at) lies in the future.");
    }

    @ParameterizedTest
    @ValueSource(strings = {"alice", "a", "user-1", "bench-u42", "alice.smith+ci@example.com", "A_B"})
    void acceptsUserIds(String subject) {
        assertThat(validator.validate(token(subject, NOW)).hasErrors()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {" ", "alice smith", "user:alice", "a/b", "a\\b", "tab\t", "nul\u0000", "ünï", "a~b", "a=b", "a|b"
            })
    void refusesSubjectsOutsideTheRule(String subject) {
        assertThat(descriptions(validator.validate(token(subject, NOW))))
                .singleElement()
                .asString()
                .startsWith("The token's sub must be 1-128 characters");
    }

    @Test
    void refusesSubjectsLongerThan128Characters() {
        assertThat(validator.validate(token("x".repeat(128), NOW)).hasErrors()).isFalse();
        assertThat(validator.validate(token("x".repeat(129), NOW)).hasErrors()).isTrue();
    }

    @Test
    void refusesATokenWithoutExpiryOrSubject() {
        Jwt bare = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .claim("roles", "admin")
                .build();

        assertThat(descriptions(validator.validate(bare)))
                .containsExactly(
                        "The token has no exp (expiry) claim.",
                        "The token's sub must be " + DashboardPrincipal.USER_ID_RULE + ".");
    }

    private static Jwt token(String subject, Instant issuedAt) {
        Jwt.Builder builder = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .subject(subject)
                .expiresAt(NOW.plus(Duration.ofHours(1)));
        if (issuedAt != null) {
            builder.issuedAt(issuedAt);
        }
        return builder.build();
    }

    private static java.util.List<String> descriptions(OAuth2TokenValidatorResult result) {
        return result.getErrors().stream().map(OAuth2Error::getDescription).toList();
    }
}
