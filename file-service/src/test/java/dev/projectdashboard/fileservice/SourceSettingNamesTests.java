package dev.projectdashboard.fileservice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.fileservice.domain.FileProperties;
import dev.projectdashboard.fileservice.storage.S3Properties;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/**
 * Source 000's {@code .env} names ({@code OSS_*}) configure file-service as the {@code S3_*} names do, through the
 * service's own {@code application.yml}; an {@code S3_*} value wins when both are set.
 */
class SourceSettingNamesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withUserConfiguration(Config.class);

    @Test
    void source000OssNamesConfigureTheStore() {
        // the OSS_* settings of docs/contracts.md (Files), as a source-000 .env writes them
        runner.withPropertyValues(
                        "OSS_ACCESS_KEY_ID=your_access_key_id",
                        "OSS_ACCESS_KEY_SECRET=your_access_key_secret",
                        "OSS_BUCKET_NAME=yuntu-bucket",
                        "OSS_ENDPOINT=oss-cn-beijing.aliyuncs.com",
                        "OSS_BASE_URL=https://yuntu-bucket.oss-cn-beijing.aliyuncs.com",
                        "OSS_SCENE_FOLDER=scenes",
                        "OSS_RESULT_FOLDER=renders")
                .run(context -> {
                    S3Properties s3 = context.getBean(S3Properties.class);
                    assertThat(s3.accessKey()).isEqualTo("your_access_key_id");
                    assertThat(s3.secretKey()).isEqualTo("your_access_key_secret");
                    assertThat(s3.bucket()).isEqualTo("yuntu-bucket");
                    assertThat(s3.endpointOverride()).hasToString("https://oss-cn-beijing.aliyuncs.com");
                    assertThat(s3.region()).isEqualTo("cn-beijing");
                    assertThat(s3.pathStyle()).isFalse();
                    FileProperties files = context.getBean(FileProperties.class);
                    assertThat(files.publicBaseUrl()).isEqualTo("https://yuntu-bucket.oss-cn-beijing.aliyuncs.com");
                    assertThat(files.sceneFolder()).isEqualTo("scenes");
                    assertThat(files.resultFolder()).isEqualTo("renders");
                });
    }

    @Test
    void anS3NameWinsOverItsOssAlias() {
        runner.withPropertyValues(
                        "OSS_BUCKET_NAME=oss-bucket",
                        "S3_BUCKET=s3-bucket",
                        "OSS_ENDPOINT=oss-cn-beijing.aliyuncs.com",
                        "S3_ENDPOINT=http://minio:9000",
                        "OSS_RESULT_FOLDER=oss-results",
                        "S3_RESULT_FOLDER=s3-results")
                .run(context -> {
                    S3Properties s3 = context.getBean(S3Properties.class);
                    assertThat(s3.bucket()).isEqualTo("s3-bucket");
                    assertThat(s3.endpointOverride()).hasToString("http://minio:9000");
                    assertThat(s3.region()).isEqualTo("us-east-1");
                    assertThat(s3.pathStyle()).isTrue();
                    assertThat(context.getBean(FileProperties.class).resultFolder())
                            .isEqualTo("s3-results");
                });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({S3Properties.class, FileProperties.class})
    static class Config {}
}
