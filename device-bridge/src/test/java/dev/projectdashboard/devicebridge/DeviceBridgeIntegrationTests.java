package dev.projectdashboard.devicebridge;

import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** device-bridge against the real local stack: the platform contract, readiness with r2dbc, eventBus and mqtt, own schema. */
@LocalStackTest
class DeviceBridgeIntegrationTests extends DatabaseServiceContractTests {

    @DynamicPropertySource
    static void localStack(DynamicPropertyRegistry registry) {
        LocalStackExtension.localStack().environment().forEach((name, value) -> registry.add(name, () -> value));
    }

    @Override
    protected String applicationName() {
        return "device-bridge";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("r2dbc", "eventBus", "mqtt");
    }

    @Override
    protected String schema() {
        return "devices";
    }

    @Override
    protected String table() {
        return "device_upload";
    }
}
