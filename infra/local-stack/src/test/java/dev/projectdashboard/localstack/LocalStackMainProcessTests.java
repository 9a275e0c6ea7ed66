package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packaged main as a developer runs it (and {@code ./dashboard up} with MQTT authentication): a separate JVM,
 * stopped with SIGTERM.
 */
class LocalStackMainProcessTests {

    @Test
    void runsUntilSigtermThenStopsEverythingAndRemovesItsFiles() throws Exception {
        try (StubAuthEndpoint endpoint = new StubAuthEndpoint()) {
            endpoint.answer("CAM_1", StubAuthEndpoint.Answer.allow("[]"));
            runUntilSigterm(endpoint);
        }
    }

    private static void runUntilSigterm(StubAuthEndpoint endpoint) throws Exception {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        Path childTmp = Files.createTempDirectory(tmp, "main");
        int redisPort = Ports.freePort();
        int postgresPort = Ports.freePort();
        int mqttPort = Ports.freePort();
        int s3Port = Ports.freePort();
        ProcessBuilder builder = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-Djava.io.tmpdir=" + childTmp,
                        "-cp",
                        System.getProperty("java.class.path"),
                        LocalStackMain.class.getName())
                .redirectErrorStream(true);
        builder.environment()
                .putAll(Map.of(
                        "LOCAL_STACK_REDIS_PORT", Integer.toString(redisPort),
                        "LOCAL_STACK_POSTGRES_PORT", Integer.toString(postgresPort),
                        "LOCAL_STACK_MQTT_PORT", Integer.toString(mqttPort),
                        "LOCAL_STACK_S3_PORT", Integer.toString(s3Port),
                        "LOCAL_STACK_MQTT_AUTH_URL", endpoint.url().toString(),
                        "LOCAL_STACK_MQTT_AUTH_API_KEY", StubAuthEndpoint.API_KEY,
                        // share this JVM's unpacked PostgreSQL instead of unpacking it again
                        "LOCAL_STACK_CACHE_DIR", tmp.toString()));
        builder.environment().remove("LOCAL_STACK_DIR");
        Process process = builder.start();
        List<String> output = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> collect(process, output), "local-stack-main-output");
        reader.setDaemon(true);
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(60))
                    .failFast("local-stack main exited", () -> !process.isAlive())
                    .until(() -> output.contains(LocalStackMain.READY_LINE));

            Path workDir = privateDirectory(childTmp);
            List<String> env = Files.readAllLines(workDir.resolve(LocalStackMain.ENV_FILE));
            assertThat(env)
                    .contains(
                            "REDIS_URL=redis://127.0.0.1:" + redisPort,
                            "POSTGRES_PORT=" + postgresPort,
                            "MQTT_PORT=" + mqttPort,
                            "S3_ENDPOINT=http://127.0.0.1:" + s3Port,
                            "S3_BUCKET=project-dashboard");
            assertThat(output).anyMatch(line -> line.contains("starting PostgreSQL on " + postgresPort));
            assertThat(List.of(redisPort, postgresPort, mqttPort, s3Port)).noneMatch(Ports::isFree);
            assertMqttClientsAreAuthenticated(mqttPort);

            process.destroy(); // SIGTERM

            assertThat(process.waitFor(30, TimeUnit.SECONDS))
                    .as("stopped within 30 s")
                    .isTrue();
            assertThat(childTmp).isEmptyDirectory();
            assertThat(List.of(redisPort, postgresPort, mqttPort, s3Port)).allMatch(Ports::isFree);
            assertThat(ProcessHandle.allProcesses()
                            .map(handle -> handle.info().commandLine().orElse(""))
                            .filter(commandLine -> commandLine.contains(childTmp.toString())))
                    .as("no server process of the stack left")
                    .isEmpty();
        } catch (AssertionError | RuntimeException e) {
            e.addSuppressed(new AssertionError("local-stack main output:\n" + String.join("\n", output)));
            throw e;
        } finally {
            // SIGTERM first: a killed JVM would leave its redis-server and postgres processes behind
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            Directories.deleteRecursively(childTmp);
        }
    }

    /** The broker asks the endpoint from the environment: anonymous clients are refused, CAM_1 gets in. */
    private static void assertMqttClientsAreAuthenticated(int mqttPort) throws Exception {
        Mqtt5BlockingClient anonymous = MqttClient.builder()
                .useMqttVersion5()
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildBlocking();
        assertThatThrownBy(anonymous::connect).isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(
                        e.getMqttMessage().getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));
        Mqtt5BlockingClient device = MqttClient.builder()
                .useMqttVersion5()
                .identifier("CAM_1")
                .serverHost("127.0.0.1")
                .serverPort(mqttPort)
                .buildBlocking();
        device.connectWith()
                .simpleAuth()
                .username("CAM_1")
                .password("secret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        device.disconnect();
    }

    private static Path privateDirectory(Path tmp) throws IOException {
        try (Stream<Path> children = Files.list(tmp)) {
            List<Path> stacks = children.filter(
                            child -> child.getFileName().toString().startsWith("ls-"))
                    .toList();
            assertThat(stacks).hasSize(1);
            return stacks.get(0);
        }
    }

    private static void collect(Process process, List<String> output) {
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            lines.lines().forEach(output::add);
        } catch (IOException | UncheckedIOException e) {
            // the stream closes when the process is killed after a failure
            output.add("(output ended: " + e + ")");
        }
    }
}
