package dev.projectdashboard.localstack;

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
 */
public record LocalStackSettings(
        int redisPort, int postgresPort, int mqttPort, int s3Port, Path workDir, Path cacheDir) {

    public static final String REDIS_PORT_ENV = "LOCAL_STACK_REDIS_PORT";
    public static final String POSTGRES_PORT_ENV = "LOCAL_STACK_POSTGRES_PORT";
    public static final String MQTT_PORT_ENV = "LOCAL_STACK_MQTT_PORT";
    public static final String S3_PORT_ENV = "LOCAL_STACK_S3_PORT";
    public static final String DIR_ENV = "LOCAL_STACK_DIR";
    public static final String CACHE_DIR_ENV = "LOCAL_STACK_CACHE_DIR";

    public LocalStackSettings {
        checkPort(REDIS_PORT_ENV, redisPort);
        checkPort(POSTGRES_PORT_ENV, postgresPort);
        checkPort(MQTT_PORT_ENV, mqttPort);
        checkPort(S3_PORT_ENV, s3Port);
    }

    /** Free ports and a private temporary directory: what tests use. */
    public static LocalStackSettings randomPorts() {
        return new LocalStackSettings(0, 0, 0, 0, null, null);
    }

    /**
     * The fixed ports of a local run, each overridable by its {@code LOCAL_STACK_*} variable (Redis 6379,
     * PostgreSQL 5432, MQTT 1883, S3 9000).
     */
    public static LocalStackSettings fromEnvironment(Map<String, String> env) {
        return new LocalStackSettings(
                port(env, REDIS_PORT_ENV, 6379),
                port(env, POSTGRES_PORT_ENV, 5432),
                port(env, MQTT_PORT_ENV, 1883),
                port(env, S3_PORT_ENV, 9000),
                path(env, DIR_ENV),
                path(env, CACHE_DIR_ENV));
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
        String value = env.get(name);
        return value == null || value.isBlank() ? null : Path.of(value.trim());
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be between 0 and 65535, was " + port);
        }
    }
}
