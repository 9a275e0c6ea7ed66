package dev.projectdashboard.launcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.CommandLineParser;
import dev.projectdashboard.launcher.process.ProcessRef;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.token.DevTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenCommandTests {

    private static final String STACK_SECRET = "secret-from-local-stack-0123456789abcdef";
    private static final String SHELL_SECRET = "secret-from-the-shell-0123456789abcdefgh";

    @TempDir
    Path root;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void signsWithTheDevSecretByDefault() throws Exception {
        String token = run(Map.of(), "token", "--admin");

        assertThat(verifies(token, DevTokens.DEV_JWT_SECRET)).isTrue();
        assertThat(payload(token)).contains("\"roles\":[\"user\",\"admin\"]");
    }

    @Test
    void signsWithTheSecretTheServicesGet() throws Exception {
        Workspace workspace = new Workspace(root);
        Files.createDirectories(workspace.localStackDir());
        Files.writeString(workspace.localStackEnv(), "DASHBOARD_JWT_SECRET=" + STACK_SECRET + "\n");

        assertThat(verifies(run(Map.of(), "token"), STACK_SECRET)).isTrue();
        assertThat(verifies(run(Map.of("DASHBOARD_JWT_SECRET", SHELL_SECRET), "token"), SHELL_SECRET))
                .isTrue();
    }

    @Test
    void warnsWhenTheRunningSuiteUsesAnotherSecret() throws Exception {
        new StateStore(new Workspace(root).stateFile())
                .write(new SuiteState(
                        ProcessRef.of(ProcessHandle.current()),
                        SuiteState.Mode.DETACHED,
                        SuiteState.Status.READY,
                        Instant.now(),
                        DevTokens.fingerprint(SHELL_SECRET),
                        List.of()));

        run(Map.of(), "token");

        assertThat(err.toString(StandardCharsets.UTF_8)).contains("another DASHBOARD_JWT_SECRET");
    }

    @Test
    void urlOptionPrintsADashboardLink() throws Exception {
        assertThat(run(Map.of(), "token", "--admin", "--url"))
                .startsWith("http://localhost:8080/project-dashboard/?token=ey");
    }

    private String run(Map<String, String> env, String... args) {
        out.reset();
        int exit = new TokenCommand(
                        new Workspace(root),
                        env,
                        new Console(
                                new PrintStream(out, true, StandardCharsets.UTF_8),
                                new PrintStream(err, true, StandardCharsets.UTF_8),
                                false),
                        new PrintStream(out, true, StandardCharsets.UTF_8))
                .token((dev.projectdashboard.launcher.cli.Command.Token) new CommandLineParser(env).parse(args));
        assertThat(exit).isZero();
        return out.toString(StandardCharsets.UTF_8).strip();
    }

    private static boolean verifies(String token, String secret) throws Exception {
        int dot = token.lastIndexOf('.');
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(mac.doFinal(token.substring(0, dot).getBytes(StandardCharsets.US_ASCII)));
        return expected.equals(token.substring(dot + 1));
    }

    private static String payload(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
    }
}
