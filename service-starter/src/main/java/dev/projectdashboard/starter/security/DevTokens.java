package dev.projectdashboard.starter.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.projectdashboard.starter.DevDefaults;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Mints HS256 user JWTs with the suite's claims, by default with the development secret
 * {@link DevDefaults#JWT_SECRET}: for tests and the launcher's {@code token} command, never for production.
 *
 * <pre>{@code
 * String alice = DevTokens.userToken("alice", List.of("user"), List.of("demo"), List.of("cam-1"));
 * String admin = DevTokens.adminToken("root");
 * String expired = DevTokens.builder("bob").expiresAt(Instant.now().minusSeconds(3600)).sign();
 * }</pre>
 */
public final class DevTokens {

    /** Lifetime of tokens minted without an explicit expiry. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(12);

    private DevTokens() {}

    /** A token for a user with the given roles, projects and devices ({@code *} for all). */
    public static String userToken(String userId, List<String> roles, List<String> projects, List<String> devices) {
        return builder(userId).roles(roles).projects(projects).devices(devices).sign();
    }

    /** A token for a user with the given roles and no projects or devices. */
    public static String userToken(String userId, List<String> roles) {
        return builder(userId).roles(roles).sign();
    }

    /** A token for an admin who may watch every project and act for every device. */
    public static String adminToken(String userId) {
        return builder(userId)
                .roles(List.of(DashboardPrincipal.ADMIN_ROLE))
                .projects(List.of(DashboardPrincipal.ANY))
                .devices(List.of(DashboardPrincipal.ANY))
                .sign();
    }

    /** Full control over the token, e.g. another secret, an expired or an {@code exp}-less token. */
    public static Builder builder(String userId) {
        return new Builder(userId);
    }

    /** Collects claims and signs them. */
    public static final class Builder {

        private final String userId;
        private String secret = DevDefaults.JWT_SECRET;
        private List<String> roles = List.of();
        private List<String> projects = List.of();
        private List<String> devices = List.of();
        private Instant issuedAt;
        private Instant expiresAt;
        private boolean withoutExpiry;
        private final Map<String, Object> extraClaims = new LinkedHashMap<>();

        private Builder(String userId) {
            this.userId = userId;
        }

        /** HS256 key, at least 32 bytes; the development secret when not called. */
        public Builder secret(String secret) {
            this.secret = Objects.requireNonNull(secret, "secret");
            return this;
        }

        public Builder roles(List<String> roles) {
            this.roles = List.copyOf(roles);
            return this;
        }

        public Builder projects(List<String> projects) {
            this.projects = List.copyOf(projects);
            return this;
        }

        public Builder devices(List<String> devices) {
            this.devices = List.copyOf(devices);
            return this;
        }

        public Builder issuedAt(Instant issuedAt) {
            this.issuedAt = issuedAt;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            this.withoutExpiry = false;
            return this;
        }

        /** Leaves out {@code exp}: such a token must be rejected, this exists to prove that. */
        public Builder withoutExpiry() {
            this.withoutExpiry = true;
            return this;
        }

        /** Any further claim, e.g. {@code iss}. */
        public Builder claim(String name, Object value) {
            extraClaims.put(name, value);
            return this;
        }

        /** The compact serialisation ({@code header.payload.signature}). */
        public String sign() {
            Instant now = Clock.systemUTC().instant();
            Instant issued = issuedAt != null ? issuedAt : now;
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(userId)
                    .issueTime(Date.from(issued))
                    .claim("roles", roles)
                    .claim("projects", projects)
                    .claim("devices", devices);
            if (!withoutExpiry) {
                claims.expirationTime(Date.from(expiresAt != null ? expiresAt : issued.plus(DEFAULT_TTL)));
            }
            extraClaims.forEach(claims::claim);
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.HS256)
                            .type(JOSEObjectType.JWT)
                            .build(),
                    claims.build());
            try {
                jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("Cannot sign an HS256 token: " + e.getMessage(), e);
            }
            return jwt.serialize();
        }
    }
}
