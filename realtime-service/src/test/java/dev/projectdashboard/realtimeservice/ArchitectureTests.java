package dev.projectdashboard.realtimeservice;

import dev.projectdashboard.starter.test.ArchitectureRules;
import org.junit.jupiter.api.Test;

class ArchitectureTests {

    @Test
    void packagesFollowTheRules() {
        // policy is neither: it asks the subscribe proxy over HTTP and reads the client address of a request
        ArchitectureRules.of("dev.projectdashboard.realtimeservice")
                .domain("channel", "hub")
                .web("api", "nativews", "socketio", "transport")
                .persistence("cluster", "history", "fanout", "script")
                .check();
    }
}
