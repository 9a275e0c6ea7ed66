package dev.projectdashboard.launcher.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class DevTokensTests {

    private static final Instant NOW = Instant.parse("2026-11-22T23:00:00Z");

    @Test
    void signsWithHs256OverHeaderAndPayload() throws Exception {
        String secret = "a-secret-that-is-long-enough-for-hs256!!";
        String token = DevTokens.mint(claims(true), secret, NOW, Duration.ofHours(8));

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(MessageDigest.isEqual(Base64.getUrlDecoder().decode(parts[2]), expected))
                .isTrue();
        assertThat(decode(parts[0])).isEqualTo("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
        assertThat(token).doesNotContain("=", "+", "/");
    }

    @Test
    void signatureDependsOnTheSecret() {
        String one = DevTokens.mint(claims(true), DevTokens.DEV_JWT_SECRET, NOW, Duration.ofHours(1));
        String other =
                DevTokens.mint(claims(true), DevTokens.DEV_JWT_SECRET.replace('0', '1'), NOW, Duration.ofHours(1));

        assertThat(one.substring(0, one.lastIndexOf('.'))).isEqualTo(other.substring(0, other.lastIndexOf('.')));
        assertThat(one).isNotEqualTo(other);
    }

    @Test
    void adminTokenCarriesRolesProjectsDevicesAndFutureExpiry() {
        Instant now = Instant.now();
        String token = DevTokens.mint(claims(true), DevTokens.DEV_JWT_SECRET, now, Duration.ofHours(8));

        String payload = decode(token.split("\\.")[1]);
        assertThat(payload)
                .contains("\"sub\":\"dev\"")
                .contains("\"roles\":[\"user\",\"admin\"]")
                .contains("\"projects\":[\"*\"]")
                .contains("\"devices\":[\"*\"]")
                .contains("\"iat\":" + now.getEpochSecond());
        long exp = Long.parseLong(payload.replaceAll(".*\"exp\":(\\d+).*", "$1"));
        assertThat(Instant.ofEpochSecond(exp))
                .isAfter(Instant.now())
                .isEqualTo(Instant.ofEpochSecond(now.getEpochSecond()).plus(Duration.ofHours(8)));
    }

    @Test
    void plainUserHasNoAdminRole() {
        String token = DevTokens.mint(
                new DevTokens.Claims("alice", false, List.of("alpha", "beta"), List.of()),
                DevTokens.DEV_JWT_SECRET,
                NOW,
                Duration.ofMinutes(30));

        String payload = decode(token.split("\\.")[1]);
        assertThat(payload)
                .contains("\"sub\":\"alice\"")
                .contains("\"roles\":[\"user\"]")
                .doesNotContain("admin")
                .contains("\"projects\":[\"alpha\",\"beta\"]")
                .contains("\"devices\":[]")
                .contains("\"exp\":" + NOW.plus(Duration.ofMinutes(30)).getEpochSecond());
    }

    @Test
    void escapesJsonInUserIds() {
        String token = DevTokens.mint(
                new DevTokens.Claims("we\"ird\\id", false, List.of(), List.of()),
                DevTokens.DEV_JWT_SECRET,
                NOW,
                Duration.ofHours(1));

        assertThat(decode(token.split("\\.")[1])).contains("\"sub\":\"we\\\"ird\\\\id\"");
    }

    @Test
    void refusesSecretsTooShortForHs256() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> DevTokens.mint(claims(true), "short", NOW, Duration.ofHours(1)))
                .withMessageContaining("DASHBOARD_JWT_SECRET");
    }

    @Test
    void usesTheConfiguredSecretElseTheDevOne() {
        assertThat(DevTokens.secret(Map.of())).isEqualTo("dev-only-jwt-secret-change-me-0123456789abcdef");
        assertThat(DevTokens.secret(Map.of("DASHBOARD_JWT_SECRET", " "))).isEqualTo(DevTokens.DEV_JWT_SECRET);
        assertThat(DevTokens.secret(Map.of("DASHBOARD_JWT_SECRET", "mine-mine-mine-mine-mine-mine-mine")))
                .isEqualTo("mine-mine-mine-mine-mine-mine-mine");
    }

    @Test
    void fingerprintIsStableShortAndDistinct() {
        assertThat(DevTokens.fingerprint("x")).hasSize(12).isEqualTo(DevTokens.fingerprint("x"));
        assertThat(DevTokens.fingerprint("x")).isNotEqualTo(DevTokens.fingerprint("y"));
    }

    private static DevTokens.Claims claims(boolean admin) {
        return new DevTokens.Claims("dev", admin, List.of("*"), List.of("*"));
    }

    private static String decode(String part) {
        return new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
    }
}
