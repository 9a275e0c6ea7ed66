package dev.projectdashboard.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.fake.FakePrograms;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.StackPorts;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusCommandTests {

    @TempDir
    Path root;

    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void showsEachServiceAndServerWithItsPort() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            byte[] body = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        int upPort = server.getAddress().getPort();
        int downPort = FakePrograms.freePort();
        Workspace workspace = new Workspace(root);
        Files.createDirectories(workspace.localStackDir());
        // local-stack reports where its servers listen; the "redis" here is our HTTP server
        Files.writeString(workspace.localStackEnv(), "REDIS_URL=redis://127.0.0.1:" + upPort + "\n");
        SuiteDefinition suite = new SuiteDefinition(
                new Component(
                        "local-stack", Component.Kind.LOCAL_STACK, 0, root.resolve("s.jar"), List.of(), List.of()),
                List.of(
                        new Component(
                                "gateway", Component.Kind.SERVICE, upPort, root.resolve("g.jar"), List.of(), List.of()),
                        new Component(
                                "file-service",
                                Component.Kind.SERVICE,
                                downPort,
                                root.resolve("f.jar"),
                                List.of(),
                                List.of())),
                new StackPorts(1, downPort, downPort, downPort));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);

        int exit = new StatusCommand(
                        workspace,
                        suite,
                        new Console(print, print, false),
                        new ReadinessProbe(Duration.ofMillis(10), Duration.ofSeconds(1)))
                .status();

        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).isEqualTo(1);
        assertThat(text)
                .contains("Project Dashboard: not started by ./dashboard")
                .containsPattern("gateway +" + upPort + " +up")
                .containsPattern("file-service +" + downPort + " +down")
                .containsPattern("redis +" + upPort + " +up")
                .containsPattern("postgresql +" + downPort + " +down");
    }
}
