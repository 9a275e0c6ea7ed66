package dev.projectdashboard.gateway;

import java.util.List;
import java.util.Map;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One {@link StubBackend} per service behind the gateway, and the URL variables that point the gateway at them. */
final class StubBackends implements AutoCloseable {

    private final Map<String, StubBackend> byUrlVariable = Map.of(
            "FILE_SERVICE_URL", new StubBackend("file-service"),
            "REALTIME_SERVICE_URL", new StubBackend("realtime-service"),
            "DEVICE_BRIDGE_URL", new StubBackend("device-bridge"),
            "PUSH_SERVICE_URL", new StubBackend("push-service"),
            "DEPLOY_NOTIFIER_URL", new StubBackend("deploy-notifier"));

    void register(DynamicPropertyRegistry registry) {
        byUrlVariable.forEach((variable, backend) -> registry.add(variable, backend::url));
    }

    StubBackend named(String name) {
        return byUrlVariable.values().stream()
                .filter(backend -> backend.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    List<StubBackend> all() {
        return List.copyOf(byUrlVariable.values());
    }

    @Override
    public void close() {
        byUrlVariable.values().forEach(StubBackend::close);
    }
}
