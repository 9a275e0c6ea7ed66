package dev.projectdashboard.devicebridge;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;
import org.springframework.test.annotation.DirtiesContext;

/** device-bridge against the real local stack: the platform contract, readiness with r2dbc, eventBus and mqtt, own schema. */
@LocalStackTest
// closed after the class: a bridge left connected would share the camera tests' subscription and answer their requests
@DirtiesContext
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
