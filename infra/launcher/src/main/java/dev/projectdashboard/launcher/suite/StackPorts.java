package dev.projectdashboard.launcher.suite;

import java.util.List;
import java.util.Map;

/** The ports local-stack's servers will listen on, from the same LOCAL_STACK_*_PORT variables it reads. */
public record StackPorts(int redis, int postgres, int mqtt, int s3) {

    public static StackPorts fromEnvironment(Map<String, String> env) {
        return new StackPorts(
                port(env, "LOCAL_STACK_REDIS_PORT", 6379),
                port(env, "LOCAL_STACK_POSTGRES_PORT", 5432),
                port(env, "LOCAL_STACK_MQTT_PORT", 1883),
                port(env, "LOCAL_STACK_S3_PORT", 9000));
    }

    /** Each server with the variable that moves it, for messages about taken ports. */
    public List<PortClaim> claims() {
        return List.of(
                new PortClaim(redis, "local-stack Redis", "set LOCAL_STACK_REDIS_PORT to another port"),
                new PortClaim(postgres, "local-stack PostgreSQL", "set LOCAL_STACK_POSTGRES_PORT to another port"),
                new PortClaim(mqtt, "local-stack MQTT broker", "set LOCAL_STACK_MQTT_PORT to another port"),
                new PortClaim(s3, "local-stack S3 server", "set LOCAL_STACK_S3_PORT to another port"));
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "='" + value + "' is not a port number (1-65535).");
        }
    }

    /** A port something needs, who needs it, and what the user can do if it is taken. */
    public record PortClaim(int port, String owner, String remedy) {}
}
