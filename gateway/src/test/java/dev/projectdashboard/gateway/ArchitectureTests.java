package dev.projectdashboard.gateway;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

    @Test
    void packagesFollowTheRules() {
        ArchitectureRules.of("dev.projectdashboard.gateway").check();
    }
}
