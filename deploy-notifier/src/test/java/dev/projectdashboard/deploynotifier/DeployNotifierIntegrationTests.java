package dev.projectdashboard.deploynotifier;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;

/** deploy-notifier against the real local stack: the platform contract, readiness with r2dbc and eventBus, own schema. */
@LocalStackTest
class DeployNotifierIntegrationTests extends DatabaseServiceContractTests {

    @Override
    protected String applicationName() {
        return "deploy-notifier";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("r2dbc", "eventBus");
    }

    @Override
    protected String schema() {
        return "deployments";
    }

    @Override
    protected String table() {
        return "deployment";
    }
}
