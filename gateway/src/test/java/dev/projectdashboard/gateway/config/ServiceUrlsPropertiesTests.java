package dev.projectdashboard.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ServiceUrlsPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "dashboard.upstreams.file-service=http://localhost:8081",
                    "dashboard.upstreams.realtime-service=http://localhost:8082",
                    "dashboard.upstreams.device-bridge=http://localhost:8083",
                    "dashboard.upstreams.push-service=https://push.internal",
                    "dashboard.upstreams.deploy-notifier=http://deploy-notifier:8085/");

    @Test
    void listsTheServicesByName() {
        runner.run(context -> assertThat(
                        context.getBean(ServiceUrlsProperties.class).byName())
                .containsOnlyKeys(
                        "file-service", "realtime-service", "device-bridge", "push-service", "deploy-notifier"));
    }

    @Test
    void refusesToStartWithAUrlThatIsNotAnHttpBaseUrl() {
        runner.withPropertyValues("dashboard.upstreams.file-service=localhost:8081")
                .run(context -> assertThat(context)
                        .getFailure()
                        .hasStackTraceContaining("dashboard.upstreams")
                        .hasStackTraceContaining("fileService"));
    }

    @Test
    void refusesToStartWithABackendPath() {
        runner.withPropertyValues("dashboard.upstreams.push-service=http://localhost:8084/api")
                .run(context -> assertThat(context).getFailure().hasStackTraceContaining("pushService"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ServiceUrlsProperties.class)
    static class Config {}
}
