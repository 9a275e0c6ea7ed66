package dev.projectdashboard.deploynotifier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.deploynotifier.ingest.WebhookProperties;
import dev.projectdashboard.deploynotifier.outbox.RelayProperties;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

/** The service's settings bind with their documented defaults, and a value outside its documented range stops start-up. */
class SettingsTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({WebhookProperties.class, RelayProperties.class})
    static class Settings {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Settings.class);

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        runner.run(context -> {
            WebhookProperties webhook = context.getBean(WebhookProperties.class);
            assertThat(webhook.maxPayloadSize()).isEqualTo(DataSize.ofMegabytes(1));
            assertThat(webhook.maxJobSteps()).isEqualTo(1_000);
            assertThat(webhook.bodyTimeout()).isEqualTo(Duration.ofSeconds(10));
            assertThat(webhook.allowUnsigned()).isFalse();
            RelayProperties relay = context.getBean(RelayProperties.class);
            assertThat(relay.relayInterval()).isEqualTo(Duration.ofSeconds(10));
            assertThat(relay.relayAfter()).isEqualTo(Duration.ofSeconds(15));
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "dashboard.deploy.max-job-steps=0|maxJobSteps",
                "dashboard.deploy.max-job-steps=100001|maxJobSteps",
                "dashboard.deploy.body-timeout=0s|bodyTimeout",
                "dashboard.deploy.project-secrets.p=|projectSecrets",
                "dashboard.deploy.project-secrets[a!b]=key|projectSecrets",
                "dashboard.deploy.relay-interval=0s|relayInterval",
                "dashboard.deploy.relay-after=-1s|relayAfter"
            })
    void aValueOutsideItsRangeStopsStartUpNamingTheSetting(String setting, String named) {
        runner.withPropertyValues(setting)
                .run(context ->
                        assertThat(context).hasFailed().getFailure().rootCause().hasMessageContaining(named));
    }
}
