package dev.projectdashboard.realtimeservice;

import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.ServiceContractTests;
import java.util.List;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** realtime-service against the real local stack: the platform contract, readiness with eventBus. */
@LocalStackTest
class RealtimeServiceIntegrationTests extends ServiceContractTests {

    @DynamicPropertySource
    static void localStack(DynamicPropertyRegistry registry) {
        LocalStackExtension.localStack().environment().forEach((name, value) -> registry.add(name, () -> value));
    }

    @Override
    protected String applicationName() {
        return "realtime-service";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("eventBus");
    }
}
