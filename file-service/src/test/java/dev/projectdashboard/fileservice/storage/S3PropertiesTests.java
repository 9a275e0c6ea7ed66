package dev.projectdashboard.fileservice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class S3PropertiesTests {

    /** The S3 settings of a local endpoint, bound by Config; UrlSignerNonBlockingTests adds the signer to it. */
    static final ApplicationContextRunner LOCAL_ENDPOINT = new ApplicationContextRunner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "dashboard.s3.endpoint=http://localhost:9000",
                    "dashboard.s3.region=us-east-1",
                    "dashboard.s3.bucket=project-dashboard",
                    "dashboard.s3.access-key=key",
                    "dashboard.s3.secret-key=secret");

    private final ApplicationContextRunner runner = LOCAL_ENDPOINT;

    @Test
    void bindsAValidConfiguration() {
        runner.run(context -> {
            S3Properties properties = context.getBean(S3Properties.class);
            assertThat(properties.endpointOverride()).hasToString("http://localhost:9000");
            assertThat(properties.pathStyle()).isTrue();
            assertThat(properties.requestTimeout()).hasSeconds(10);
        });
    }

    @Test
    void usesTheAwsEndpointWhenNoneIsGiven() {
        runner.withPropertyValues("dashboard.s3.endpoint=")
                .run(context -> assertThat(context.getBean(S3Properties.class).endpointOverride())
                        .isNull());
    }

    @Test
    void readsASchemelessAliyunOssEndpointAsHttpsSigningForItsRegionInVirtualHostedStyle() {
        // docs/contracts.md, Files: OSS_ENDPOINT=oss-cn-beijing.aliyuncs.com
        runner.withPropertyValues("dashboard.s3.endpoint=oss-cn-beijing.aliyuncs.com", "dashboard.s3.region=")
                .run(context -> {
                    S3Properties properties = context.getBean(S3Properties.class);
                    assertThat(properties.endpointOverride()).hasToString("https://oss-cn-beijing.aliyuncs.com");
                    assertThat(properties.region()).isEqualTo("cn-beijing");
                    assertThat(properties.pathStyle()).isFalse();
                    assertThat(properties.aliyunOss()).isTrue();
                });
        runner.withPropertyValues(
                        "dashboard.s3.endpoint=https://s3.oss-cn-hangzhou-internal.aliyuncs.com",
                        "dashboard.s3.region=")
                .run(context ->
                        assertThat(context.getBean(S3Properties.class).region()).isEqualTo("cn-hangzhou"));
    }

    @Test
    void pathStyleIsOnForLocalServersAndOffForAwsUnlessSet() {
        runner.run(context ->
                assertThat(context.getBean(S3Properties.class).pathStyle()).isTrue());
        runner.withPropertyValues("dashboard.s3.endpoint=")
                .run(context -> assertThat(context.getBean(S3Properties.class).pathStyle())
                        .isFalse());
        runner.withPropertyValues("dashboard.s3.endpoint=", "dashboard.s3.path-style=true")
                .run(context -> assertThat(context.getBean(S3Properties.class).pathStyle())
                        .isTrue());
        runner.withPropertyValues("dashboard.s3.path-style=false", "dashboard.s3.region=")
                .run(context -> {
                    S3Properties properties = context.getBean(S3Properties.class);
                    assertThat(properties.pathStyle()).isFalse();
                    assertThat(properties.region()).isEqualTo("us-east-1");
                    assertThat(properties.aliyunOss()).isFalse();
                });
    }

    @Test
    void refusesToStartWithAnInvalidBucketNamingTheProperty() {
        runner.withPropertyValues("dashboard.s3.bucket=Not_A_Bucket").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.s3")
                .hasStackTraceContaining("bucket"));
    }

    @Test
    void refusesToStartWithoutCredentialsNamingTheProperty() {
        runner.withPropertyValues("dashboard.s3.secret-key=").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.s3")
                .hasStackTraceContaining("secretKey"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(S3Properties.class)
    static class Config {}
}
