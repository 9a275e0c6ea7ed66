package dev.projectdashboard.devicebridge.upload;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

class UploadPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Config.class);

    @Test
    void bindsSource001sDefaults() {
        runner.run(context -> {
            UploadProperties properties = context.getBean(UploadProperties.class);
            assertThat(properties.maxFileSize()).isEqualTo(DataSize.ofGigabytes(5));
            assertThat(properties.allowedContentTypes())
                    .containsExactly("video/*", "image/*", "application/octet-stream");
            assertThat(properties.urlExpiry()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.rateLimit()).isEqualTo(60);
            assertThat(properties.rateWindow()).isEqualTo(Duration.ofMinutes(1));
            assertThat(properties.queue().capacity()).isEqualTo(10_000);
            assertThat(properties.queue().concurrency()).isEqualTo(64);
        });
    }

    @Test
    void bindsACommaSeparatedListOfTypesAsTheEnvironmentGivesIt() {
        runner.withPropertyValues("dashboard.uploads.allowed-content-types=video/mp2t, image/jpeg")
                .run(context -> assertThat(
                                context.getBean(UploadProperties.class).allowedContentTypes())
                        .containsExactly("video/mp2t", "image/jpeg"));
    }

    @Test
    void allowsATypeItsWildcardCovers() {
        UploadProperties properties = allowing("video/*", "application/octet-stream");

        assertThat(properties.allows("video/mp2t")).isTrue();
        assertThat(properties.allows("video/mp4")).isTrue();
        assertThat(properties.allows("application/octet-stream")).isTrue();

        assertThat(properties.allows("image/jpeg")).isFalse();
        assertThat(properties.allows("application/json")).isFalse();
        // a wildcard covers its own top-level type only
        assertThat(properties.allows("videos/mp4")).isFalse();
        assertThat(properties.allows("video")).isFalse();
        assertThat(properties.allows("application/octet-stream2")).isFalse();
    }

    @Test
    void ignoresParametersCaseAndSpaces() {
        UploadProperties properties = allowing(" Video/* ", "text/plain");

        assertThat(properties.allows("video/MP2T")).isTrue();
        assertThat(properties.allows("VIDEO/mp4; codecs=\"avc1\"")).isTrue();
        assertThat(properties.allows("text/plain;charset=utf-8")).isTrue();
        assertThat(properties.allows(" text/plain ")).isTrue();
        assertThat(properties.allows("text/html; x=text/plain")).isFalse();
    }

    @Test
    void allowsNothingButTheListedTypesWithoutAWildcard() {
        UploadProperties properties = allowing("image/jpeg");

        assertThat(properties.allows("image/jpeg")).isTrue();
        assertThat(properties.allows("image/png")).isFalse();
        assertThat(properties.allows("*/*")).isFalse();
    }

    @Test
    void refusesToStartWithoutAllowedTypesNamingTheProperty() {
        runner.withPropertyValues("dashboard.uploads.allowed-content-types=").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.uploads")
                .hasStackTraceContaining("allowedContentTypes"));
    }

    @Test
    void refusesToStartWithARateLimitBelowOneNamingTheProperty() {
        runner.withPropertyValues("dashboard.uploads.rate-limit=0").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.uploads")
                .hasStackTraceContaining("rateLimit"));
    }

    @Test
    void refusesToStartWithAnImpossibleQueueNamingTheProperty() {
        runner.withPropertyValues("dashboard.uploads.queue.concurrency=0").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.uploads")
                .hasStackTraceContaining("concurrency"));
        runner.withPropertyValues("dashboard.uploads.queue.capacity=2000000").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.uploads")
                .hasStackTraceContaining("capacity"));
    }

    @Test
    void refusesToStartWithAnUnreadableSizeNamingTheProperty() {
        runner.withPropertyValues("dashboard.uploads.max-file-size=huge")
                .run(context ->
                        assertThat(context).getFailure().hasStackTraceContaining("dashboard.uploads.max-file-size"));
    }

    private static UploadProperties allowing(String... types) {
        return new UploadProperties(
                DataSize.ofGigabytes(5),
                List.of(types),
                Duration.ofHours(1),
                60,
                Duration.ofMinutes(1),
                new UploadProperties.Queue(10, 1));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(UploadProperties.class)
    static class Config {}
}
