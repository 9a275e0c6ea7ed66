package dev.projectdashboard.localstack;

import com.hivemq.embedded.EmbeddedExtension;
import com.hivemq.embedded.EmbeddedHiveMQ;
import com.hivemq.extension.sdk.api.ExtensionMain;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStartOutput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopInput;
import com.hivemq.extension.sdk.api.parameter.ExtensionStopOutput;
import com.hivemq.extension.sdk.api.services.Services;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

/**
 * HiveMQ Community Edition, embedded: an MQTT 3.1.1/5 broker inside this JVM. Its one extension authenticates
 * clients ({@link MqttAuthenticator}); the authenticator outlives a {@link #stop()}, so a restarted broker keeps the
 * authentication setting.
 */
final class MqttNode {

    private final Path dir;
    private final int port;
    private final MqttAuthenticator authenticator = new MqttAuthenticator();
    private EmbeddedHiveMQ broker;

    MqttNode(Path dir, int port) {
        this.dir = Directories.create(dir);
        this.port = port;
    }

    int port() {
        return port;
    }

    MqttAuthenticator authenticator() {
        return authenticator;
    }

    synchronized void start() throws IOException, InterruptedException, ExecutionException {
        if (broker != null) {
            return;
        }
        Path config = Directories.create(dir.resolve("conf"));
        // HiveMQ reads its port only from config.xml; usage statistics off so it never phones home
        Files.writeString(
                config.resolve("config.xml"),
                """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """
                        .formatted(port, Ports.LOOPBACK),
                StandardCharsets.UTF_8);
        EmbeddedHiveMQ candidate = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(config)
                .withDataFolder(Directories.create(dir.resolve("data")))
                .withExtensionsFolder(Directories.create(dir.resolve("extensions")))
                // keep the host's logging configuration: HiveMQ's bootstrap would reset logback to its own
                .withoutLoggingBootstrap()
                .withEmbeddedExtension(EmbeddedExtension.builder()
                        .withId("local-stack-authentication")
                        .withName("local-stack authentication")
                        .withVersion("1")
                        .withAuthor("project-dashboard")
                        .withPriority(1000)
                        .withStartPriority(1000)
                        .withExtensionMain(new AuthenticationExtension(authenticator))
                        .build())
                .build();
        try {
            candidate.start().get();
        } catch (ExecutionException | InterruptedException e) {
            closeQuietly(candidate);
            throw e;
        }
        broker = candidate;
    }

    synchronized void stop() throws InterruptedException, ExecutionException {
        if (broker == null) {
            return;
        }
        try {
            broker.stop().get();
            broker.close();
        } finally {
            broker = null;
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ candidate) {
        try {
            candidate.close();
        } catch (Exception e) {
            // the start failure is what the caller needs to see
        }
    }

    /** Registers the authenticator; always, so switching authentication on or off needs no broker restart. */
    private record AuthenticationExtension(MqttAuthenticator authenticator) implements ExtensionMain {

        @Override
        public void extensionStart(ExtensionStartInput input, ExtensionStartOutput output) {
            Services.securityRegistry().setAuthenticatorProvider(providerInput -> authenticator);
        }

        @Override
        public void extensionStop(ExtensionStopInput input, ExtensionStopOutput output) {
            // HiveMQ drops the extension's registrations itself
        }
    }
}
