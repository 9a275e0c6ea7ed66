package dev.projectdashboard.fileservice;

import static org.awaitility.Awaitility.await;

import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackExtension;
import dev.projectdashboard.localstack.LocalStackTest;
import dev.projectdashboard.starter.test.DatabaseServiceContractTests;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** file-service against the real local stack: the platform contract, readiness with r2dbc, eventBus and s3, own schema, S3 outage. */
@LocalStackTest
class FileServiceIntegrationTests extends DatabaseServiceContractTests {

    @Override
    protected String applicationName() {
        return "file-service";
    }

    @Override
    protected List<String> readinessComponents() {
        return List.of("r2dbc", "eventBus", "s3");
    }

    @Override
    protected String schema() {
        return "files";
    }

    @Override
    protected String table() {
        return "file_object";
    }

    @Test
    void turnsUnreadyWhileTheObjectStoreIsDownAndRecovers() {
        LocalStack stack = LocalStackExtension.localStack();
        stack.stopS3();
        try {
            await().atMost(READINESS_TIMEOUT).untilAsserted(() -> client.get()
                    .uri("/actuator/health/readiness")
                    .exchange()
                    .expectStatus()
                    .isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                    .expectBody()
                    .jsonPath("$.components.s3.status")
                    .isEqualTo("DOWN"));
        } finally {
            stack.startS3();
        }
        await().atMost(READINESS_TIMEOUT).untilAsserted(() -> client.get()
                .uri("/actuator/health/readiness")
                .exchange()
                .expectStatus()
                .isOk());
    }
}
