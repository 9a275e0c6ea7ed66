package dev.projectdashboard.starter;

import java.util.List;

/**
 * The development defaults of the suite's secrets and security settings (see docs/contracts.md, Identity), defined
 * once here.
 *
 * <p>Every value is for local runs only: the {@code prod} profile refuses to start while any of them is in
 * effect. The launcher and tests mint tokens and send keys with the same values.
 *
 * <table>
 *   <caption>Settings and their development values</caption>
 *   <tr><th>env var</th><th>development value</th></tr>
 *   <tr><td>{@code DASHBOARD_JWT_SECRET}</td><td>{@value #JWT_SECRET}</td></tr>
 *   <tr><td>{@code DASHBOARD_JWT_JWKS_URI}</td><td>unset (HS256 with the secret above)</td></tr>
 *   <tr><td>{@code DASHBOARD_API_KEY}</td><td>{@value #API_KEY}</td></tr>
 *   <tr><td>{@code DEPLOY_WEBHOOK_SECRET}</td><td>{@value #DEPLOY_WEBHOOK_SECRET}</td></tr>
 *   <tr><td>{@code PUSH_ENCRYPTION_KEY}</td><td>{@value #PUSH_ENCRYPTION_KEY} (base64 of 32 bytes)</td></tr>
 *   <tr><td>{@code PUSH_ALLOWED_PRIVATE_NETWORKS}</td><td>{@value #PUSH_ALLOWED_PRIVATE_NETWORKS}</td></tr>
 *   <tr><td>{@code MQTT_PASSWORD}</td><td>{@value #MQTT_PASSWORD}</td></tr>
 * </table>
 */
public final class DevDefaults {

    /** Env var of the HS256 key for user JWTs. */
    public static final String JWT_SECRET_ENV = "DASHBOARD_JWT_SECRET";

    /** Env var of the JWKS URI; when set, RS256/ES256 tokens are verified against it instead. */
    public static final String JWKS_URI_ENV = "DASHBOARD_JWT_JWKS_URI";

    /** Env var of the key services and backends send as {@code X-Api-Key}. */
    public static final String API_KEY_ENV = "DASHBOARD_API_KEY";

    /** Env var of the HMAC key for {@code X-Hub-Signature-256} on the deployment and GitHub webhooks. */
    public static final String DEPLOY_WEBHOOK_SECRET_ENV = "DEPLOY_WEBHOOK_SECRET";

    /** Env var of the AES-256-GCM key (base64) for webhook secrets and auth config at rest. */
    public static final String PUSH_ENCRYPTION_KEY_ENV = "PUSH_ENCRYPTION_KEY";

    /** Env var of the CIDRs webhook URLs may target although private or loopback. */
    public static final String PUSH_ALLOWED_PRIVATE_NETWORKS_ENV = "PUSH_ALLOWED_PRIVATE_NETWORKS";

    /** Env var of device-bridge's own broker password, which its broker-auth endpoint also accepts. */
    public static final String MQTT_PASSWORD_ENV = "MQTT_PASSWORD";

    /** Development HS256 key for user JWTs (46 bytes); never valid under the {@code prod} profile. */
    public static final String JWT_SECRET = "dev-only-jwt-secret-change-me-0123456789abcdef";

    /** Development {@code X-Api-Key}; never valid under the {@code prod} profile. */
    public static final String API_KEY = "dev-api-key-change-me";

    /** Development HMAC key for deployment and GitHub webhooks; never valid under the {@code prod} profile. */
    public static final String DEPLOY_WEBHOOK_SECRET = "dev-webhook-secret-change-me";

    /**
     * Development AES-256 key, base64 of the 32 ASCII bytes {@code dev-only-push-key-change-me-0123};
     * never valid under the {@code prod} profile.
     */
    public static final String PUSH_ENCRYPTION_KEY = "ZGV2LW9ubHktcHVzaC1rZXktY2hhbmdlLW1lLTAxMjM=";

    /** Development SSRF exception: loopback only, so local webhook receivers work; not for {@code prod}. */
    public static final String PUSH_ALLOWED_PRIVATE_NETWORKS = "127.0.0.0/8";

    /** Development broker password of device-bridge; never valid under the {@code prod} profile. */
    public static final String MQTT_PASSWORD = "dev-mqtt-password-change-me";

    /** Canonical properties carrying these settings, each resolved from its env var with the dev default. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting(JWT_SECRET_ENV, "dashboard.security.jwt-secret", JWT_SECRET),
            new Setting(API_KEY_ENV, "dashboard.security.api-key", API_KEY),
            new Setting(DEPLOY_WEBHOOK_SECRET_ENV, "dashboard.secrets.deploy-webhook-secret", DEPLOY_WEBHOOK_SECRET),
            new Setting(PUSH_ENCRYPTION_KEY_ENV, "dashboard.secrets.push-encryption-key", PUSH_ENCRYPTION_KEY),
            new Setting(
                    PUSH_ALLOWED_PRIVATE_NETWORKS_ENV,
                    "dashboard.secrets.push-allowed-private-networks",
                    PUSH_ALLOWED_PRIVATE_NETWORKS),
            new Setting(MQTT_PASSWORD_ENV, "dashboard.secrets.mqtt-password", MQTT_PASSWORD));

    private DevDefaults() {}

    /**
     * One secret-like setting: the env var an operator sets, the property services read it through, and
     * the value it has in development.
     *
     * @param envVar environment variable name, e.g. {@code DASHBOARD_API_KEY}
     * @param property property the starter binds it to, e.g. {@code dashboard.security.api-key}
     * @param devValue the development value the {@code prod} profile refuses
     */
    public record Setting(String envVar, String property, String devValue) {

        /** The placeholder that reads the env var and falls back to the development value. */
        public String placeholder() {
            return "${" + envVar + ":" + devValue + "}";
        }
    }
}
