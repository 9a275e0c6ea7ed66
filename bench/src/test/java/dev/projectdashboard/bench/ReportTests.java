package dev.projectdashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTests {

    @TempDir
    Path directory;

    @Test
    void replacesItsOwnSectionAndKeepsOthers() throws Exception {
        Path report = directory.resolve("REPORT.md");

        Report.writeSection(report, "a", "first A");
        Report.writeSection(report, "b", "only B");
        Report.writeSection(report, "a", "second A");

        String text = Files.readString(report);
        assertThat(text).startsWith("# Benchmark report");
        assertThat(text).contains("second A", "only B").doesNotContain("first A");
        assertThat(text.indexOf("second A")).isLessThan(text.indexOf("only B"));
    }

    @Test
    void describesTheMachine() {
        assertThat(Report.machine()).startsWith("nproc ").contains("JDK ");
    }
}
