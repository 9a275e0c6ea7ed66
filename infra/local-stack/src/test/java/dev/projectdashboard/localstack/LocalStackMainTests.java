package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalStackMainTests {

    @Test
    void refusesATakenPortAtOnceNamingTheVariableToChange() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            LocalStackSettings settings = new LocalStackSettings(
                    taken.getLocalPort(), Ports.freePort(), Ports.freePort(), Ports.freePort(), null, null);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();

            int status = LocalStackMain.run(
                    settings,
                    new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8),
                    stack -> {
                        throw new AssertionError("must not start with a taken port");
                    });

            assertThat(status).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .contains("port " + taken.getLocalPort() + " is already in use")
                    .contains("LOCAL_STACK_REDIS_PORT");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain(LocalStackMain.READY_LINE);
        }
    }

    @Test
    void readsPortsAndDirectoriesFromTheEnvironment() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(
                Map.of("LOCAL_STACK_POSTGRES_PORT", "15432", "LOCAL_STACK_DIR", "/srv/stack"));

        assertThat(settings).isEqualTo(new LocalStackSettings(6379, 15432, 1883, 9000, Path.of("/srv/stack"), null));
    }

    @Test
    void rejectsAPortThatIsNotANumberNamingTheVariable() {
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(Map.of("LOCAL_STACK_S3_PORT", "nine-thousand")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_STACK_S3_PORT");
    }

    @Test
    void readsTheMqttAuthenticationEndpointFromTheEnvironment() {
        LocalStackSettings settings = LocalStackSettings.fromEnvironment(Map.of(
                "LOCAL_STACK_MQTT_AUTH_URL", "http://127.0.0.1:8084/internal/mqtt/auth",
                "LOCAL_STACK_MQTT_AUTH_API_KEY", "key-of-the-registry"));

        assertThat(settings.mqttAuthUrl()).isEqualTo(URI.create("http://127.0.0.1:8084/internal/mqtt/auth"));
        assertThat(settings.mqttAuthApiKey()).isEqualTo("key-of-the-registry");
        assertThat(settings.toString()).doesNotContain("key-of-the-registry");
        assertThat(LocalStackSettings.fromEnvironment(Map.of()).mqttAuthUrl()).isNull();
    }

    @Test
    void rejectsAnMqttAuthenticationUrlWithoutItsApiKeyOrThatIsNotHttp() {
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(
                        Map.of("LOCAL_STACK_MQTT_AUTH_URL", "http://127.0.0.1:8084/internal/mqtt/auth")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_STACK_MQTT_AUTH_API_KEY");
        assertThatThrownBy(() -> LocalStackSettings.fromEnvironment(
                        Map.of("LOCAL_STACK_MQTT_AUTH_URL", "127.0.0.1:8084", "LOCAL_STACK_MQTT_AUTH_API_KEY", "key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LOCAL_STACK_MQTT_AUTH_URL");
    }
}
