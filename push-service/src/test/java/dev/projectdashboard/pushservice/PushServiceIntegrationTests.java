package dev.projectdashboard.pushservice;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;

/** push-service against the real local stack: the platform contract, readiness with r2dbc and eventBus, own schema. */
@LocalStackTest
class PushServiceIntegrationTests extends DatabaseServiceContractTests {

    @Override
    protected String applicationName() {
        return "push-service";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("r2dbc", "eventBus");
    }

    @Override
    protected String schema() {
        return "push";
    }

    @Override
    protected String table() {
        return "webhook_subscription";
    }
}
