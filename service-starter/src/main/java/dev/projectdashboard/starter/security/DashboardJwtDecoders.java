package dev.projectdashboard.starter.security;

import dev.projectdashboard.starter.environment.StartupRefusedException;
import io.netty.channel.ChannelOption;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.MappedJwtClaimSetConverter;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/** Builds the user-JWT decoder: HS256 with the shared secret, or RS256/ES256 against a JWKS. */
public final class DashboardJwtDecoders {

    /** Bound on fetching the JWKS, so a slow key server cannot hold requests forever. */
    static final Duration JWKS_TIMEOUT = Duration.ofSeconds(5);

    private DashboardJwtDecoders() {}

    /**
     * The decoder for the configured mode.
     *
     * @throws StartupRefusedException when the HS256 secret is shorter than 32 bytes; the message names the
     *     property and env var, never the value
     */
    public static ReactiveJwtDecoder create(DashboardSecurityProperties properties, Clock clock) {
        NimbusReactiveJwtDecoder decoder;
        if (properties.jwksMode()) {
            decoder = NimbusReactiveJwtDecoder.withJwkSetUri(properties.jwksUri())
                    .jwsAlgorithm(SignatureAlgorithm.RS256)
                    .jwsAlgorithm(SignatureAlgorithm.ES256)
                    .webClient(jwksClient())
                    .build();
        } else {
            byte[] secret = properties.jwtSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < DashboardSecurityProperties.MIN_JWT_SECRET_BYTES) {
                throw new StartupRefusedException(
                        "dashboard.security.jwt-secret (env DASHBOARD_JWT_SECRET) must be at least "
                                + DashboardSecurityProperties.MIN_JWT_SECRET_BYTES + " bytes for HS256, but has "
                                + secret.length + " bytes",
                        "Set DASHBOARD_JWT_SECRET to a random value of at least "
                                + DashboardSecurityProperties.MIN_JWT_SECRET_BYTES
                                + " bytes (e.g. openssl rand -base64 48), or set DASHBOARD_JWT_JWKS_URI.");
            }
            decoder = NimbusReactiveJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256)
                    .build();
        }
        decoder.setClaimSetConverter(withoutInventedIssuedAt());
        decoder.setJwtValidator(validator(clock));
        return decoder;
    }

    /**
     * Spring's claim conversion, except that a token without {@code iat} keeps none: Spring would set it to {@code exp}
     * minus one second, which reads as issued in the future.
     */
    static Converter<Map<String, Object>, Map<String, Object>> withoutInventedIssuedAt() {
        MappedJwtClaimSetConverter defaults = MappedJwtClaimSetConverter.withDefaults(Map.of());
        return claims -> {
            Map<String, Object> converted = defaults.convert(claims);
            if (claims.containsKey(JwtClaimNames.IAT) || converted == null) {
                return converted;
            }
            Map<String, Object> withoutIssuedAt = new LinkedHashMap<>(converted);
            withoutIssuedAt.remove(JwtClaimNames.IAT);
            return withoutIssuedAt;
        };
    }

    /**
     * Signature aside: {@code exp} must exist and lie ahead, {@code nbf} must have passed (default validators), {@code
     * sub} must be a user id and {@code iat} must not lie in the future ({@link DashboardClaimsValidator}).
     */
    static OAuth2TokenValidator<Jwt> validator(Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator();
        timestamps.setClock(clock);
        return JwtValidators.createDefaultWithValidators(timestamps, new DashboardClaimsValidator(clock));
    }

    private static WebClient jwksClient() {
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) JWKS_TIMEOUT.toMillis())
                .responseTimeout(JWKS_TIMEOUT);
        return WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(httpClient))
                .build();
    }
}
