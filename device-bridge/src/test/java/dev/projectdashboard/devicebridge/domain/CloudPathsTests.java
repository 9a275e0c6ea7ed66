package dev.projectdashboard.devicebridge.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which {@code file_name}s a device may send (docs/contracts.md, Cameras over MQTT) and which keys are its own. */
class CloudPathsTests {

    private static final String CAM = "ESP32P4_CAM_001";

    @ParameterizedTest
    @ValueSource(strings = {"motion_video.ts", "a", "snapshot 1.jpg", "clip.v2.mp4", "ümlaut.ts"})
    void acceptsABareFileName(String name) {
        assertThat(CloudPaths.problem(CAM, name)).isNull();
    }

    @Test
    void acceptsSource001sFullPathUnderTheDevicesOwnId() {
        assertThat(CloudPaths.problem(CAM, "ESP32P4_CAM_001/2025/07/11/143022_motion_video.ts"))
                .isNull();
        assertThat(CloudPaths.problem(CAM, CAM + "/2024/02/29/235959_leap.ts")).isNull();
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/01/01/000000_midnight.ts"))
                .isNull();
    }

    @Test
    void refusesAFullPathUnderAnotherDevicesPrefix() {
        assertThat(CloudPaths.problem(CAM, "ESP32P4_CAM_002/2025/07/11/143022_motion_video.ts"))
                .contains("own id");
        // a device id that merely starts like the own one is another device
        assertThat(CloudPaths.problem("CAM", "CAM_1/2025/07/11/143022_a.ts")).contains("own id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "a..b.ts", "../etc/passwd"})
    void refusesDotDot(String name) {
        assertThat(CloudPaths.problem(CAM, name)).isNotNull();
    }

    @Test
    void refusesDotDotAsTheNameOfAFullPath() {
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/07/11/143022_..")).contains("'..'");
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/07/11/143022_a..ts")).contains("'..'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb.ts", "a\u0000.ts", "tab\t.ts", "del\u007f.ts", "a\\b.ts", "..\\x"})
    void refusesControlCharactersAndBackslash(String name) {
        assertThat(CloudPaths.problem(CAM, name)).isNotNull();
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/07/11/143022_" + name)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"2025/02/30", "2025/13/01", "2025/00/10", "2025/04/31", "2023/02/29"})
    void refusesADateThatDoesNotExist(String date) {
        assertThat(CloudPaths.problem(CAM, CAM + "/" + date + "/143022_a.ts")).contains("date");
    }

    @ParameterizedTest
    @ValueSource(strings = {"240000", "126000", "120060", "999999"})
    void refusesATimeThatDoesNotExist(String time) {
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/07/11/" + time + "_a.ts"))
                .contains("time");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ESP32P4_CAM_001//2025/07/11/143022_a.ts",
                "ESP32P4_CAM_001/2025/07//11/143022_a.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_",
                "ESP32P4_CAM_001/2025/07/11/",
                "/2025/07/11/143022_a.ts",
                "ESP32P4_CAM_001/2025/7/11/143022_a.ts",
                "ESP32P4_CAM_001/2025/07/11/1430_a.ts",
                "ESP32P4_CAM_001/2025/07/11/143022a.ts",
                "ESP32P4_CAM_001/2025/07/11/143022_a.ts/",
                "ESP32P4_CAM_001/a.ts",
                "a/b"
            })
    void refusesAPathWithEmptyOrMisshapenSegments(String name) {
        assertThat(CloudPaths.problem(CAM, name)).isNotNull();
    }

    @Test
    void refusesAnEmptyOrMissingName() {
        assertThat(CloudPaths.problem(CAM, "")).contains("empty");
        assertThat(CloudPaths.problem(CAM, null)).contains("empty");
    }

    @Test
    void refusesANameLongerThan255CharactersButNotOneOf255() {
        assertThat(CloudPaths.problem(CAM, "a".repeat(255))).isNull();
        assertThat(CloudPaths.problem(CAM, "a".repeat(256))).contains("255");
        assertThat(CloudPaths.problem(CAM, CAM + "/2025/07/11/143022_" + "a".repeat(256)))
                .contains("255");
    }

    @Test
    void belongsToOnlyForAWellFormedKeyUnderTheDevicesId() {
        assertThat(CloudPaths.belongsTo(CAM, CAM + "/2025/07/11/143022_motion_video.ts"))
                .isTrue();
        assertThat(CloudPaths.belongsTo(CAM, "ESP32P4_CAM_002/2025/07/11/143022_motion_video.ts"))
                .isFalse();
        assertThat(CloudPaths.belongsTo("CAM", "CAM_1/2025/07/11/143022_a.ts")).isFalse();
        assertThat(CloudPaths.belongsTo(CAM, CAM + "/motion_video.ts")).isFalse();
        assertThat(CloudPaths.belongsTo(CAM, "motion_video.ts")).isFalse();
        assertThat(CloudPaths.belongsTo(CAM, null)).isFalse();
    }
}
