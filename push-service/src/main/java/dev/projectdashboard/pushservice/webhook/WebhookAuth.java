package dev.projectdashboard.pushservice.webhook;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The credentials a webhook sends (source 003's four auth types). Held in plain text only in memory: stored
 * encrypted, never returned by the API, and {@link #toString()} shows the type alone.
 */
public sealed interface WebhookAuth {

    AuthType type();

    /** Adds the auth header to a request being built. */
    void apply(BiConsumer<String, String> header);

    /** Names of the headers {@link #apply} sets, lower case: their values are redacted in push logs. */
    Set<String> headerNames();

    /** The fields stored (encrypted) for this auth, as source 003's {@code auth_config}. */
    Map<String, String> config();

    /** The auth of {@code type} from its {@code auth_config} fields; a missing or blank field names itself. */
    static WebhookAuth of(AuthType type, Map<String, String> config) {
        Map<String, String> fields = config == null ? Map.of() : config;
        return switch (type) {
            case NONE -> new None();
            case BASIC -> new Basic(required(fields, "username"), required(fields, "password"));
            case BEARER -> new Bearer(required(fields, "token"));
            case API_KEY -> new ApiKey(required(fields, "key_name"), required(fields, "key_value"));
        };
    }

    private static String required(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("auth_config." + name + " must be given");
        }
        return value;
    }

    record None() implements WebhookAuth {

        @Override
        public AuthType type() {
            return AuthType.NONE;
        }

        @Override
        public void apply(BiConsumer<String, String> header) {}

        @Override
        public Set<String> headerNames() {
            return Set.of();
        }

        @Override
        public Map<String, String> config() {
            return Map.of();
        }
    }

    /** {@code Authorization: Basic base64(username:password)}. */
    record Basic(String username, String password) implements WebhookAuth {

        public Basic {
            if (username.indexOf(':') >= 0) {
                throw new IllegalArgumentException("auth_config.username must not contain ':'");
            }
        }

        @Override
        public AuthType type() {
            return AuthType.BASIC;
        }

        @Override
        public void apply(BiConsumer<String, String> header) {
            String pair = username + ":" + password;
            header.accept(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
        }

        @Override
        public Set<String> headerNames() {
            return Set.of("authorization");
        }

        @Override
        public Map<String, String> config() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("username", username);
            config.put("password", password);
            return config;
        }

        @Override
        public String toString() {
            return "Basic[username=" + username + ", password=***]";
        }
    }

    /** {@code Authorization: Bearer <token>}. */
    record Bearer(String token) implements WebhookAuth {

        @Override
        public AuthType type() {
            return AuthType.BEARER;
        }

        @Override
        public void apply(BiConsumer<String, String> header) {
            header.accept("Authorization", "Bearer " + token);
        }

        @Override
        public Set<String> headerNames() {
            return Set.of("authorization");
        }

        @Override
        public Map<String, String> config() {
            return Map.of("token", token);
        }

        @Override
        public String toString() {
            return "Bearer[token=***]";
        }
    }

    /** {@code <key_name>: <key_value>}, e.g. {@code X-API-Key}. */
    record ApiKey(String keyName, String keyValue) implements WebhookAuth {

        public ApiKey {
            if (!keyName.matches("[A-Za-z0-9!#$%&'*+.^_`|~-]+")) {
                throw new IllegalArgumentException("auth_config.key_name must be an HTTP header name");
            }
        }

        @Override
        public AuthType type() {
            return AuthType.API_KEY;
        }

        @Override
        public void apply(BiConsumer<String, String> header) {
            header.accept(keyName, keyValue);
        }

        @Override
        public Set<String> headerNames() {
            return Set.of(keyName.toLowerCase(Locale.ROOT));
        }

        @Override
        public Map<String, String> config() {
            Map<String, String> config = new LinkedHashMap<>();
            config.put("key_name", keyName);
            config.put("key_value", keyValue);
            return config;
        }

        @Override
        public String toString() {
            return "ApiKey[key_name=" + keyName + ", key_value=***]";
        }
    }
}
