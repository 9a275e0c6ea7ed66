package dev.projectdashboard.devicebridge;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The middle is the domain (uploads, devices, topics, cloud paths, error codes) and the application around it (upload
 * requests, status, the registry, broker access); the HTTP API in {@code web}, the R2DBC and Redis stores in
 * {@code persistence} and the file-service client in {@code storage} depend on it, never the reverse.
 */
class ArchitectureTests {

    @Test
    void packagesFollowTheRules() {
        ArchitectureRules.of("dev.projectdashboard.devicebridge")
                .domain("domain", "upload", "status", "registry", "broker")
                .web("web")
                .persistence("persistence", "storage")
                .check();
    }
}
