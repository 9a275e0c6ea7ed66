package dev.projectdashboard.deploynotifier;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

    @Test
    void packagesFollowTheRules() {
        ArchitectureRules.of("dev.projectdashboard.deploynotifier")
                .domain("deployment")
                .web("api", "ingest")
                .persistence("store", "outbox")
                .check();
    }
}
