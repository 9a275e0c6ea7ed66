package dev.projectdashboard.starter.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/**
 * The suite's rules for user JWT claims beyond signature, {@code exp} and {@code nbf} (Spring's default validators):
 * {@code exp} must be present, {@code sub} must be a user id ({@link DashboardPrincipal#isValidUserId}), and
 * {@code iat}, when present, must not lie in the future by more than the clock skew the expiry check allows. Each
 * failure's description is the 401's detail, so it says which claim is wrong.
 */
final class DashboardClaimsValidator implements OAuth2TokenValidator<Jwt> {

    /** Clock difference tolerated between the token's issuer and this service, as for {@code exp}. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private final Clock clock;

    DashboardClaimsValidator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        List<OAuth2Error> errors = new ArrayList<>();
        if (jwt.getExpiresAt() == null) {
            errors.add(invalid("The token has no exp (expiry) claim."));
        }
        if (!DashboardPrincipal.isValidUserId(jwt.getSubject())) {
            errors.add(invalid("The token's sub must be " + DashboardPrincipal.USER_ID_RULE + "."));
        }
        Instant issuedAt = jwt.getIssuedAt();
        if (issuedAt != null && issuedAt.isAfter(clock.instant().plus(CLOCK_SKEW))) {
            errors.add(invalid("The token's iat (issued at) lies in the future."));
        }
        return errors.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
    }

    private static OAuth2Error invalid(String description) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, description, null);
    }
}
