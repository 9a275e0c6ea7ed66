package dev.projectdashboard.starter;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

/** The library's packages (security, problem, server, json, …) form no cycle, as every service's must not. */
class ArchitectureTests {

    @Test
    void packagesFormNoCycle() {
        ArchitectureRules.of("dev.projectdashboard.starter").check();
    }
}
