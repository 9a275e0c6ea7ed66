package dev.projectdashboard.devicebridge;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;

/** device-bridge against the real local stack: the platform contract, readiness with r2dbc, eventBus and mqtt, own schema. */
@LocalStackTest
class DeviceBridgeIntegrationTests extends DatabaseServiceContractTests {

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
