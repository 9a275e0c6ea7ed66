package dev.projectdashboard.pushservice;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

/**
 * The middle is pure rules (template, signature, secret, retry, ssrf) and the application around them (webhook
 * registrations, delivery); the API in {@code api}, the R2DBC stores in {@code store} and the file-service client in
 * {@code files} depend on it, never the reverse; {@code config} wires.
 */
class ArchitectureTests {

    @Test
    void packagesFollowTheRules() {
        ArchitectureRules.of("dev.projectdashboard.pushservice")
                .domain("template", "signature", "secret", "retry", "ssrf", "webhook", "delivery")
                .web("api")
                .persistence("store", "files")
                .check();
    }
}
