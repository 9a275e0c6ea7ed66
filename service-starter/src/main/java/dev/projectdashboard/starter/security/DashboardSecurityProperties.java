package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.DevDefaults;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.StringUtils;
import org.springframework.validation.annotation.Validated;

/**
 * How a service authenticates callers (see docs/contracts.md, Identity).
 *
 * <p>Path patterns use Spring's {@code PathPattern} syntax ({@code /internal/**}, {@code /socket.io/**}).
 *
 * @param jwtSecret HS256 key for user JWTs, at least 32 bytes; from {@code DASHBOARD_JWT_SECRET}, the
 *     development value {@value DevDefaults#JWT_SECRET} when unset. Ignored when {@code jwks-uri} is set.
 * @param jwksUri when set (from {@code DASHBOARD_JWT_JWKS_URI}), user JWTs are RS256/ES256 tokens verified
 *     against the keys published at this JWKS URI instead of the HS256 secret.
 * @param apiKey key services and backends send as {@code X-Api-Key} to server APIs; from
 *     {@code DASHBOARD_API_KEY}, the development value {@value DevDefaults#API_KEY} when unset.
 * @param apiKeyPaths paths that need a valid {@code X-Api-Key} (callers get {@code ROLE_SERVICE}).
 * @param publicPaths paths open without any credentials, in addition to {@code /actuator/health/**},
 *     {@code /actuator/info} and {@code /actuator/prometheus}.
 * @param queryTokenPaths WebSocket upgrade paths where the user JWT may also arrive as a {@code ?token=}
 *     query parameter, because browsers cannot set headers on WebSocket handshakes; nowhere else.
 * @param selfAuthenticatedPaths paths whose endpoints check their own credentials (signed webhooks): open to every
 *     caller as far as the filter chain goes, and an {@code Authorization: Bearer} header sent there belongs to the
 *     endpoint (a webhook token), so it is not read as a user JWT.
 */
@Validated
@ConfigurationProperties("dashboard.security")
public record DashboardSecurityProperties(
        @NotNull @DefaultValue(DevDefaults.JWT_SECRET) String jwtSecret,
        String jwksUri,
        @NotBlank @DefaultValue(DevDefaults.API_KEY) String apiKey,
        @NotNull @DefaultValue("/internal/**") List<@NotBlank String> apiKeyPaths,
        @NotNull @DefaultValue List<@NotBlank String> publicPaths,
        @NotNull @DefaultValue List<@NotBlank String> queryTokenPaths,
        @NotNull @DefaultValue List<@NotBlank String> selfAuthenticatedPaths) {

    /** Smallest HS256 key RFC 7518 §3.2 allows: as many bytes as the hash output. */
    public static final int MIN_JWT_SECRET_BYTES = 32;

    /** Whether user JWTs are verified against a JWKS rather than the shared secret. */
    public boolean jwksMode() {
        return StringUtils.hasText(jwksUri);
    }
}
