package dev.projectdashboard.devicebridge.camera;

import dev.projectdashboard.devicebridge.DeviceBridgeApplication;
import dev.projectdashboard.devicebridge.mqtt.DeviceMessages;
import dev.projectdashboard.localstack.LocalStackExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Another device-bridge in this JVM, on the local stack, as a second replica or against another broker. */
final class BridgeReplica implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private BridgeReplica(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts one with the local stack's settings, the test file-service and {@code overrides}. */
    static BridgeReplica start(String fileServiceUrl, Map<String, String> overrides) {
        // the stack's settings as the variables application.yml reads; the rest as command-line arguments, which
        // outrank application.yml
        Map<String, Object> environment =
                new LinkedHashMap<>(LocalStackExtension.localStack().environment());
        Map<String, String> arguments = new LinkedHashMap<>();
        arguments.put("server.port", "0");
        arguments.put("dashboard.file-service.url", fileServiceUrl);
        arguments.put("dashboard.file-service.timeout", "30s");
        arguments.put("dashboard.mqtt.client-id", "replica-" + UUID.randomUUID());
        arguments.put("dashboard.uploads.rate-limit", "1000");
        arguments.putAll(overrides);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(DeviceBridgeApplication.class)
                .properties(environment)
                .run(arguments.entrySet().stream()
                        .map(entry -> "--" + entry.getKey() + "=" + entry.getValue())
                        .toArray(String[]::new));
        return new BridgeReplica(context);
    }

    /** How many requests this replica answered. */
    double answered() {
        return Search.in(context.getBean(MeterRegistry.class))
                .name("device_bridge_upload_requests_total")
                .counters()
                .stream()
                .mapToDouble(counter -> counter.count())
                .sum();
    }

    double gauge(String name) {
        return context.getBean(MeterRegistry.class).get(name).gauge().value();
    }

    boolean subscribed() {
        return context.getBean(DeviceMessages.class).subscribed();
    }

    @Override
    public void close() {
        context.close();
    }
}
