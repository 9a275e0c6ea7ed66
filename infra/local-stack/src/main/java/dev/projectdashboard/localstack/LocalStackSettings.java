package dev.projectdashboard.localstack;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack listens and where it keeps its files.
 *
 * @param redisPort Redis port; {@code 0} picks a free port at start
 * @param postgresPort PostgreSQL port; {@code 0} picks a free port at start
 * @param mqttPort MQTT broker port; {@code 0} picks a free port at start
 * @param s3Port S3 endpoint port; {@code 0} picks a free port at start
 * @param workDir directory for server data, sockets and {@code local-stack.env}; {@code null} means a private
 *     temporary directory under {@code java.io.tmpdir} that is removed on close
 * @param cacheDir where the PostgreSQL binaries are unpacked once ({@code embedded-pg/}) and reused across runs;
 *     {@code null} means {@code java.io.tmpdir} (inside {@code target/} for tests)
 * @param mqttAuthUrl the HTTP endpoint (EMQX 5.8's HTTP authentication shape) that decides every MQTT CONNECT, see
 *     {@link LocalStack#requireMqttAuthentication}; {@code null} lets clients connect anonymously
 * @param mqttAuthApiKey sent to {@code mqttAuthUrl} as {@code X-Api-Key}; required with it
 */
public record LocalStackSettings(
        int redisPort,
        int postgresPort,
        int mqttPort,
        int s3Port,
        Path workDir,
        Path cacheDir,
        URI mqttAuthUrl,
        String mqttAuthApiKey) {

    public static final String REDIS_PORT_ENV = "LOCAL_STACK_REDIS_PORT";
    public static final String POSTGRES_PORT_ENV = "LOCAL_STACK_POSTGRES_PORT";
    public static final String MQTT_PORT_ENV = "LOCAL_STACK_MQTT_PORT";
    public static final String S3_PORT_ENV = "LOCAL_STACK_S3_PORT";
    public static final String DIR_ENV = "LOCAL_STACK_DIR";
    public static final String CACHE_DIR_ENV = "LOCAL_STACK_CACHE_DIR";
    public static final String MQTT_AUTH_URL_ENV = "LOCAL_STACK_MQTT_AUTH_URL";
    public static final String MQTT_AUTH_API_KEY_ENV = "LOCAL_STACK_MQTT_AUTH_API_KEY";

    public LocalStackSettings {
        checkPort(REDIS_PORT_ENV, redisPort);
        checkPort(POSTGRES_PORT_ENV, postgresPort);
        checkPort(MQTT_PORT_ENV, mqttPort);
        checkPort(S3_PORT_ENV, s3Port);
        if (mqttAuthUrl != null
                && !(mqttAuthUrl.isAbsolute()
                        && ("http".equals(mqttAuthUrl.getScheme()) || "https".equals(mqttAuthUrl.getScheme())))) {
            throw new IllegalArgumentException(
                    MQTT_AUTH_URL_ENV + " must be an http(s) URL, was '" + mqttAuthUrl + "'");
        }
        if ((mqttAuthUrl == null) != (mqttAuthApiKey == null || mqttAuthApiKey.isBlank())) {
            throw new IllegalArgumentException(
                    MQTT_AUTH_URL_ENV + " and " + MQTT_AUTH_API_KEY_ENV + " are set together or not at all");
        }
    }

    /** Anonymous MQTT clients, as tests and plain local runs use. */
    public LocalStackSettings(int redisPort, int postgresPort, int mqttPort, int s3Port, Path workDir, Path cacheDir) {
        this(redisPort, postgresPort, mqttPort, s3Port, workDir, cacheDir, null, null);
    }

    /** Free ports and a private temporary directory: what tests use. */
    public static LocalStackSettings randomPorts() {
        return new LocalStackSettings(0, 0, 0, 0, null, null);
    }

    /**
     * The fixed ports of a local run, each overridable by its {@code LOCAL_STACK_*} variable (Redis 6379,
     * PostgreSQL 5432, MQTT 1883, S3 9000), and MQTT authentication when {@code LOCAL_STACK_MQTT_AUTH_URL} and
     * {@code LOCAL_STACK_MQTT_AUTH_API_KEY} are set.
     */
    public static LocalStackSettings fromEnvironment(Map<String, String> env) {
        return new LocalStackSettings(
                port(env, REDIS_PORT_ENV, 6379),
                port(env, POSTGRES_PORT_ENV, 5432),
                port(env, MQTT_PORT_ENV, 1883),
                port(env, S3_PORT_ENV, 9000),
                path(env, DIR_ENV),
                path(env, CACHE_DIR_ENV),
                uri(env, MQTT_AUTH_URL_ENV),
                blankAsNull(env.get(MQTT_AUTH_API_KEY_ENV)));
    }

    /** Without the API key, which would otherwise end up in logs. */
    @Override
    public String toString() {
        return "LocalStackSettings[redisPort=" + redisPort + ", postgresPort=" + postgresPort + ", mqttPort=" + mqttPort
                + ", s3Port=" + s3Port + ", workDir=" + workDir + ", cacheDir=" + cacheDir + ", mqttAuthUrl="
                + mqttAuthUrl + ", mqttAuthApiKey=" + (mqttAuthApiKey == null ? null : "(set)") + "]";
    }

    /** The variable that sets each port, so a clash can name what to change. */
    Map<String, Integer> portsByEnvironmentVariable() {
        return Map.of(
                REDIS_PORT_ENV,
                redisPort,
                POSTGRES_PORT_ENV,
                postgresPort,
                MQTT_PORT_ENV,
                mqttPort,
                S3_PORT_ENV,
                s3Port);
    }

    private static int port(Map<String, String> env, String name, int defaultPort) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultPort;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, was '" + value + "'", e);
        }
    }

    private static Path path(Map<String, String> env, String name) {
        String value = blankAsNull(env.get(name));
        return value == null ? null : Path.of(value);
    }

    private static URI uri(Map<String, String> env, String name) {
        String value = blankAsNull(env.get(name));
        if (value == null) {
            return null;
        }
        try {
            return new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(name + " must be an http(s) URL, was '" + value + "'", e);
        }
    }

    private static String blankAsNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
        }
    }
}
