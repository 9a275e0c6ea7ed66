package dev.projectdashboard.launcher.suite;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds each child's environment. The rule, from weakest to strongest:
 *
 * <ol>
 *   <li>local-stack's values ({@code local-stack.env}) and the suite's upstream URLs;
 *   <li>the environment {@code ./dashboard up} was started with: a variable the user set explicitly (say
 *       {@code REDIS_URL=redis://elsewhere:6379 ./dashboard up}) wins, so one can point the suite at a real
 *       server;
 *   <li>what only the launcher can know: each service's {@code SERVER_PORT} and local-stack's
 *       {@code LOCAL_STACK_DIR} (one value for all six services, or a foreign directory, would break the run), and
 *       where the services listen: {@code SERVER_ADDRESS} is the suite's {@link BindAddress} for the backend services
 *       (loopback unless {@code DASHBOARD_BIND_ADDRESS} opens them) and unset for the gateway, which listens on every
 *       interface.
 * </ol>
 */
public final class EnvironmentMerger {

    public static final String LOCAL_STACK_DIR = "LOCAL_STACK_DIR";
    public static final String SERVER_PORT = "SERVER_PORT";
    public static final String SERVER_ADDRESS = "SERVER_ADDRESS";

    private EnvironmentMerger() {}

    public static final String MQTT_AUTH_URL = "LOCAL_STACK_MQTT_AUTH_URL";
    public static final String MQTT_AUTH_API_KEY = "LOCAL_STACK_MQTT_AUTH_API_KEY";

    /** Same name and value as service-starter's DevDefaults (EnvironmentMergerTests keeps them in step). */
    static final String API_KEY_ENV = "DASHBOARD_API_KEY";

    static final String DEV_API_KEY = "dev-api-key-change-me";

    /**
     * local-stack's environment: the user's, our directory, and a broker that lets in only the devices and the bridge
     * device-bridge's auth endpoint admits (docs/device-bridge.md, Broker authentication). A user who sets
     * {@code LOCAL_STACK_MQTT_AUTH_URL} chooses the endpoint; set empty, the broker takes anonymous clients again (as
     * it does when the suite has no device-bridge).
     */
    public static Map<String, String> forLocalStack(
            Map<String, String> user, Path localStackDir, Optional<Integer> deviceBridgePort) {
        Map<String, String> env = new LinkedHashMap<>(user);
        env.put(LOCAL_STACK_DIR, localStackDir.toAbsolutePath().toString());
        String url = user.get(MQTT_AUTH_URL);
        if (url == null && deviceBridgePort.isPresent()) {
            env.put(MQTT_AUTH_URL, "http://127.0.0.1:" + deviceBridgePort.get() + "/internal/v1/mqtt/auth");
            env.putIfAbsent(MQTT_AUTH_API_KEY, user.getOrDefault(API_KEY_ENV, DEV_API_KEY));
        } else if (url != null && url.isBlank()) {
            env.remove(MQTT_AUTH_URL);
            env.remove(MQTT_AUTH_API_KEY);
        }
        return env;
    }

    public static Map<String, String> forService(
            Map<String, String> user, Map<String, String> stack, SuiteDefinition suite, Component service) {
        Map<String, String> env = new LinkedHashMap<>(stack);
        suite.upstreamUrls().forEach(env::putIfAbsent);
        env.putAll(user);
        env.put(SERVER_PORT, Integer.toString(service.port()));
        if (service.equals(suite.gateway())) {
            // the suite's one public entry point
            env.remove(SERVER_ADDRESS);
        } else {
            env.put(SERVER_ADDRESS, suite.bindAddress().address());
        }
        return env;
    }

    /** Names local-stack provides that the user's environment overrides, to say so at start. */
    public static Set<String> overriddenByUser(Map<String, String> user, Map<String, String> stack) {
        Set<String> overridden = new TreeSet<>();
        for (Map.Entry<String, String> entry : stack.entrySet()) {
            String mine = user.get(entry.getKey());
            if (mine != null && !mine.equals(entry.getValue())) {
                overridden.add(entry.getKey());
            }
        }
        return overridden;
    }
}
