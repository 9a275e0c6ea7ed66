package dev.projectdashboard.starter.environment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.testapp.StarterTestApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.NestedExceptionUtils;

/** Start-up refusals: they must name what to fix, never print a secret. */
@ExtendWith(OutputCaptureExtension.class)
class StartupGuardTests {

    @Test
    void prodProfileRefusesDevDefaultsNamingEveryEnvVar() {
        assertThatThrownBy(() -> start("prod", "server.port=0"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("prod")
                .hasMessageContaining("DASHBOARD_JWT_SECRET")
                .hasMessageContaining("DASHBOARD_API_KEY")
                .hasMessageContaining("DEPLOY_WEBHOOK_SECRET")
                .hasMessageContaining("PUSH_ENCRYPTION_KEY")
                .hasMessageContaining("PUSH_ALLOWED_PRIVATE_NETWORKS")
                .hasMessageContaining("MQTT_PASSWORD");
    }

    @Test
    void prodProfileNamesOnlyTheSettingsStillOnDevValues() {
        assertThatThrownBy(() -> start(
                        "prod",
                        "server.port=0",
                        "DASHBOARD_JWT_SECRET=production-secret-with-at-least-32-bytes!",
                        "DASHBOARD_API_KEY=production-api-key",
                        "PUSH_ENCRYPTION_KEY=cHJvZHVjdGlvbi1rZXktb2YtMzItYnl0ZXMtbG9uZyE=",
                        "PUSH_ALLOWED_PRIVATE_NETWORKS=" + DevDefaults.PUSH_ALLOWED_PRIVATE_NETWORKS))
                .hasMessageContaining("DEPLOY_WEBHOOK_SECRET")
                .hasMessageContaining("PUSH_ALLOWED_PRIVATE_NETWORKS")
                .message()
                .doesNotContain("DASHBOARD_JWT_SECRET")
                .doesNotContain("DASHBOARD_API_KEY")
                .doesNotContain("PUSH_ENCRYPTION_KEY");
    }

    @Test
    void prodProfileStartsWithProductionValues() {
        try (ConfigurableApplicationContext context = start(
                "prod",
                "server.port=0",
                "DASHBOARD_JWT_SECRET=production-secret-with-at-least-32-bytes!",
                "DASHBOARD_API_KEY=production-api-key",
                "DEPLOY_WEBHOOK_SECRET=production-webhook-secret",
                "PUSH_ENCRYPTION_KEY=cHJvZHVjdGlvbi1rZXktb2YtMzItYnl0ZXMtbG9uZyE=",
                "PUSH_ALLOWED_PRIVATE_NETWORKS=",
                "MQTT_PASSWORD=production-mqtt-password")) {
            assertThat(context.isActive()).isTrue();
        }
    }

    @Test
    void shortJwtSecretFailsStartNamingTheProperty(CapturedOutput output) {
        String shortSecret = "too-short-secret";
        assertThatThrownBy(() -> start("default", "server.port=0", "DASHBOARD_JWT_SECRET=" + shortSecret))
                .satisfies(failure -> {
                    String message =
                            NestedExceptionUtils.getMostSpecificCause(failure).getMessage();
                    assertThat(message)
                            .contains("dashboard.security.jwt-secret")
                            .contains("DASHBOARD_JWT_SECRET")
                            .contains("32 bytes")
                            .doesNotContain(shortSecret);
                });
        assertThat(output.getOut() + output.getErr())
                .contains("APPLICATION FAILED TO START")
                .contains("Set DASHBOARD_JWT_SECRET")
                .doesNotContain(shortSecret);
    }

    private static ConfigurableApplicationContext start(String profile, String... properties) {
        return new SpringApplicationBuilder(StarterTestApplication.class)
                .profiles(profile)
                .properties(properties)
                .run();
    }
}
