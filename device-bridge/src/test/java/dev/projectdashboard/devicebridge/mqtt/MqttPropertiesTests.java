package dev.projectdashboard.devicebridge.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class MqttPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Config.class)
            .withPropertyValues(
                    "dashboard.mqtt.host=localhost",
                    "dashboard.mqtt.port=1883",
                    "dashboard.mqtt.client-id=bridge-1",
                    "dashboard.mqtt.password=secret");

    @Test
    void bindsAValidConfiguration() {
        runner.run(context -> {
            MqttProperties properties = context.getBean(MqttProperties.class);
            assertThat(properties.port()).isEqualTo(1883);
            assertThat(properties.keepAlive()).hasSeconds(30);
        });
    }

    @Test
    void refusesToStartWithAnImpossiblePortNamingTheProperty() {
        runner.withPropertyValues("dashboard.mqtt.port=70000").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.mqtt")
                .hasStackTraceContaining("port"));
    }

    @Test
    void refusesToStartWithoutHostNamingTheProperty() {
        runner.withPropertyValues("dashboard.mqtt.host= ").run(context -> assertThat(context)
                .getFailure()
                .hasStackTraceContaining("dashboard.mqtt")
                .hasStackTraceContaining("host"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(MqttProperties.class)
    static class Config {}
}
