package dev.projectdashboard.fileservice.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The constraints of the nested settings hold as those of the top level: a wrong value stops the start. */
class FilePropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void bindsTheDefaults() {
        runner.run(context -> {
            FileProperties properties = context.getBean(FileProperties.class);
            assertThat(properties.pending().sweepBatch()).isEqualTo(100);
            assertThat(properties.device().partSize().toMegabytes()).isEqualTo(16);
            assertThat(properties.device().singlePutLimit().toGigabytes()).isEqualTo(5);
            // a Blender scene picked in a browser's file input is declared as application/x-blender
            assertThat(properties.allows("application/x-blender")).isTrue();
            assertThat(properties.allows("text/html")).isFalse();
        });
    }

    @Test
    void refusesASinglePutLimitThatAllowsNoPut() {
        runner.withPropertyValues("dashboard.files.device.single-put-limit=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("single-put-limit"));
    }

    @Test
    void refusesASweepBatchOutsideItsBounds() {
        runner.withPropertyValues("dashboard.files.pending.sweep-batch=0")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("sweepBatch"));
    }

    @Test
    void refusesAStagingFolderThatIsNoFolderName() {
        runner.withPropertyValues("dashboard.files.pending.staging-folder=../up")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("stagingFolder"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(FileProperties.class)
    static class Config {}
}
