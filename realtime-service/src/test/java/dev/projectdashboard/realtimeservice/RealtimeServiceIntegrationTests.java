package dev.projectdashboard.realtimeservice;

import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.ServiceContractTests;
import java.util.List;

/** realtime-service against the real local stack: the platform contract, readiness with eventBus. */
@LocalStackTest
class RealtimeServiceIntegrationTests extends ServiceContractTests {

    @Override
    protected String applicationName() {
        return "realtime-service";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("eventBus");
    }
}
