package dev.projectdashboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    @Test
    void listsOneExampleOfEachKindOnOneLineAndNothingWithoutThem() {
        assertThat(Report.examples("First:", Map.of())).isEmpty();
        assertThat(Report.examples("First:", Map.of("HTTP 503", "a `b`\nc")))
                .isEqualTo("\nFirst:\n\n- HTTP 503: `a 'b' c`\n");
        assertThat(Report.notes(List.of("one", "two"))).isEqualTo("\nNote: one\n\nNote: two\n");
    }

    @Test
    void warnsOfABusyMachineOnlyWhenItWasBusy() {
        assertThat(Report.loadAveragesWarned("0.20 / 0.30 / 0.40", "1 / 1 / 1")).doesNotContain("busy");
        assertThat(Report.loadAveragesWarned("3.00 / 2.00 / 1.00", "1 / 1 / 1"))
                .startsWith(Report.loadAverages("3.00 / 2.00 / 1.00", "1 / 1 / 1"))
                .contains("the machine was busy before the run");
    }
}
