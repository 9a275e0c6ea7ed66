package dev.projectdashboard.launcher.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentMergerTests {

    private final SuiteDefinition suite = SuiteDefinition.standard(Path.of("/repo"), Map.of());
    private final Component fileService = suite.component("file-service").orElseThrow();
    private final Map<String, String> stack = Map.of(
            "REDIS_URL", "redis://127.0.0.1:6379",
            "POSTGRES_PORT", "5432",
            "S3_ENDPOINT", "http://127.0.0.1:9000");

    @Test
    void servicesGetLocalStackValuesAndTheirOwnPort() {
        Map<String, String> env = EnvironmentMerger.forService(Map.of("PATH", "/usr/bin"), stack, suite, fileService);

        assertThat(env)
                .containsEntry("REDIS_URL", "redis://127.0.0.1:6379")
                .containsEntry("POSTGRES_PORT", "5432")
                .containsEntry("PATH", "/usr/bin")
                .containsEntry("SERVER_PORT", "8081")
                .containsEntry("REALTIME_SERVICE_URL", "http://localhost:8082")
                .containsEntry("DEPLOY_NOTIFIER_URL", "http://localhost:8085");
    }

    @Test
    void variablesTheUserSetWinOverLocalStack() {
        Map<String, String> user = Map.of("REDIS_URL", "redis://elsewhere:6379", "FILE_SERVICE_URL", "http://fs:1");

        Map<String, String> env = EnvironmentMerger.forService(user, stack, suite, fileService);

        assertThat(env)
                .containsEntry("REDIS_URL", "redis://elsewhere:6379")
                .containsEntry("FILE_SERVICE_URL", "http://fs:1")
                .containsEntry("POSTGRES_PORT", "5432");
        assertThat(EnvironmentMerger.overriddenByUser(user, stack)).containsExactly("REDIS_URL");
    }

    @Test
    void serverPortIsAlwaysTheLaunchersChoice() {
        Map<String, String> env =
                EnvironmentMerger.forService(Map.of("SERVER_PORT", "9999"), stack, suite, suite.gateway());

        assertThat(env).containsEntry("SERVER_PORT", "8080");
    }

    @Test
    void backendServicesListenOnLoopbackAndTheGatewayOnEveryInterface() {
        Map<String, String> user = Map.of("SERVER_ADDRESS", "0.0.0.0");

        assertThat(EnvironmentMerger.forService(user, stack, suite, fileService))
                .containsEntry("SERVER_ADDRESS", "127.0.0.1");
        assertThat(EnvironmentMerger.forService(user, stack, suite, suite.gateway()))
                .doesNotContainKey("SERVER_ADDRESS");
    }

    @Test
    void bindAddressSettingOpensTheBackendServices() {
        SuiteDefinition open = SuiteDefinition.standard(Path.of("/repo"), Map.of("DASHBOARD_BIND_ADDRESS", "0.0.0.0"));

        assertThat(open.bindAddress().isOpen()).isTrue();
        assertThat(EnvironmentMerger.forService(
                        Map.of(),
                        stack,
                        open,
                        open.component("realtime-service").orElseThrow()))
                .containsEntry("SERVER_ADDRESS", "0.0.0.0");
        assertThat(EnvironmentMerger.forService(Map.of(), stack, open, open.gateway()))
                .doesNotContainKey("SERVER_ADDRESS");
        assertThat(SuiteDefinition.standard(Path.of("/repo"), Map.of("DASHBOARD_BIND_ADDRESS", "::"))
                        .bindAddress()
                        .isOpen())
                .isTrue();
        assertThat(suite.bindAddress().isOpen()).isFalse();
    }

    @Test
    void bindAddressIsLoopbackOrEveryInterface() {
        for (String address : new String[] {"192.168.1.10", "localhost", "example.org", "0.0.0.0:8080", "all"}) {
            assertThatIllegalArgumentException()
                    .isThrownBy(
                            () -> SuiteDefinition.standard(Path.of("/repo"), Map.of("DASHBOARD_BIND_ADDRESS", address)))
                    .withMessageContaining("DASHBOARD_BIND_ADDRESS='" + address + "'");
        }
        assertThat(BindAddress.fromEnvironment(Map.of("DASHBOARD_BIND_ADDRESS", " ")))
                .isEqualTo(BindAddress.LOOPBACK);
        assertThat(BindAddress.fromEnvironment(Map.of("DASHBOARD_BIND_ADDRESS", "::1"))
                        .isOpen())
                .isFalse();
    }

    @Test
    void localStackGetsTheUsersEnvironmentAndOurDirectory() {
        Map<String, String> env = EnvironmentMerger.forLocalStack(
                Map.of("LOCAL_STACK_REDIS_PORT", "6380", "LOCAL_STACK_DIR", "/elsewhere"),
                Path.of("/repo/.dashboard/ls"),
                Optional.of(8083));

        assertThat(env)
                .containsEntry("LOCAL_STACK_REDIS_PORT", "6380")
                .containsEntry("LOCAL_STACK_DIR", "/repo/.dashboard/ls");
    }

    @Test
    void theBrokerAsksDeviceBridgeWhoMayConnectUnlessTheUserSaysOtherwise() {
        Map<String, String> env = EnvironmentMerger.forLocalStack(
                Map.of("DASHBOARD_API_KEY", "my-key"), Path.of("/repo/.dashboard/ls"), Optional.of(18083));
        assertThat(env)
                .containsEntry("LOCAL_STACK_MQTT_AUTH_URL", "http://127.0.0.1:18083/internal/v1/mqtt/auth")
                .containsEntry("LOCAL_STACK_MQTT_AUTH_API_KEY", "my-key");

        Map<String, String> anonymous = EnvironmentMerger.forLocalStack(
                Map.of("LOCAL_STACK_MQTT_AUTH_URL", ""), Path.of("/repo/.dashboard/ls"), Optional.of(8083));
        assertThat(anonymous).doesNotContainKeys("LOCAL_STACK_MQTT_AUTH_URL", "LOCAL_STACK_MQTT_AUTH_API_KEY");
    }

    @Test
    void theDevelopmentApiKeyIsTheServicesOwn() {
        assertThat(EnvironmentMerger.API_KEY_ENV).isEqualTo(dev.projectdashboard.starter.DevDefaults.API_KEY_ENV);
        assertThat(EnvironmentMerger.DEV_API_KEY).isEqualTo(dev.projectdashboard.starter.DevDefaults.API_KEY);
    }

    @Test
    void stackPortsFollowTheLocalStackVariables() {
        StackPorts ports = StackPorts.fromEnvironment(Map.of("LOCAL_STACK_POSTGRES_PORT", "15432"));

        assertThat(ports).isEqualTo(new StackPorts(6379, 15432, 1883, 9000));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> StackPorts.fromEnvironment(Map.of("LOCAL_STACK_S3_PORT", "nine")))
                .withMessageContaining("LOCAL_STACK_S3_PORT");
    }

    @Test
    void readsTheEnvFileLocalStackWrites(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("local-stack.env");
        Files.writeString(
                file, "# written by local-stack\nREDIS_URL=redis://127.0.0.1:6379\n\nS3_PATH_STYLE=\"true\"\nA=b=c\n");

        assertThat(EnvFile.read(file))
                .containsExactly(
                        Map.entry("REDIS_URL", "redis://127.0.0.1:6379"),
                        Map.entry("S3_PATH_STYLE", "true"),
                        Map.entry("A", "b=c"));
    }

    @Test
    void standardSuiteKnowsJarsAndPorts() {
        assertThat(suite.services())
                .extracting(Component::name, Component::port)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("gateway", 8080),
                        org.assertj.core.groups.Tuple.tuple("file-service", 8081),
                        org.assertj.core.groups.Tuple.tuple("realtime-service", 8082),
                        org.assertj.core.groups.Tuple.tuple("device-bridge", 8083),
                        org.assertj.core.groups.Tuple.tuple("push-service", 8084),
                        org.assertj.core.groups.Tuple.tuple("deploy-notifier", 8085));
        assertThat(suite.localStack().jar())
                .isEqualTo(Path.of("/repo/infra/local-stack/target/local-stack-0.1.0-SNAPSHOT-exec.jar"));
        assertThat(fileService.jar()).isEqualTo(Path.of("/repo/file-service/target/file-service-0.1.0-SNAPSHOT.jar"));
        assertThat(suite.portClaims()).hasSize(10);
    }

    @Test
    void javaCommandsPutExtraOptionsAfterTheDefaults() {
        JavaLaunchCommands commands =
                new JavaLaunchCommands(java.util.List.of("setsid"), "/jdk/bin/java", java.util.List.of("-Xmx512m"));

        assertThat(commands.command(fileService))
                .containsExactly(
                        "setsid",
                        "/jdk/bin/java",
                        "-Xmx192m",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=1",
                        "-Xmx512m",
                        "-jar",
                        "/repo/file-service/target/file-service-0.1.0-SNAPSHOT.jar");
    }
}
