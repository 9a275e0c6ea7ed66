package dev.projectdashboard.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardMainTests {

    @Test
    void helpSucceedsAndUsageErrorsExitWithTwo() {
        assertThat(DashboardMain.run(new String[] {"help"})).isZero();
        assertThat(DashboardMain.run(new String[] {"launch"})).isEqualTo(2);
        assertThat(DashboardMain.run(new String[] {"up", "--timeout", "never"})).isEqualTo(2);
    }
}
