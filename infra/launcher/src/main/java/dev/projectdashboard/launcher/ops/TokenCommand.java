package dev.projectdashboard.launcher.ops;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Command;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.EnvFile;
import dev.projectdashboard.launcher.token.DevTokens;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** {@code token}: prints a dev JWT signed with the key the (running) services verify with. */
public final class TokenCommand {

    private final Workspace workspace;
    private final Map<String, String> environment;
    private final Console console;
    private final PrintStream out;

    public TokenCommand(Workspace workspace, Map<String, String> environment, Console console, PrintStream out) {
        this.workspace = workspace;
        this.environment = environment;
        this.console = console;
        this.out = out;
    }

    public int token(Command.Token token) {
        // Same precedence as the services get: local-stack's values, then this shell's.
        Map<String, String> serviceEnv = new HashMap<>();
        if (Files.isRegularFile(workspace.localStackEnv())) {
            serviceEnv.putAll(EnvFile.read(workspace.localStackEnv()));
        }
        serviceEnv.putAll(environment);
        String secret = DevTokens.secret(serviceEnv);
        new StateStore(workspace.stateFile())
                .read()
                .filter(state -> !state.secretFingerprint().isEmpty())
                .filter(state -> !state.secretFingerprint().equals(DevTokens.fingerprint(secret)))
                .ifPresent(state -> console.error("Warning: the running suite verifies tokens with another "
                        + DevTokens.SECRET_ENV + "; set the same value in this shell."));
        String jwt = DevTokens.mint(
                new DevTokens.Claims(token.user(), token.admin(), token.projects(), token.devices()),
                secret,
                Instant.now(),
                token.ttl());
        out.println(token.url() ? "http://localhost:8080/project-dashboard/?token=" + jwt : jwt);
        out.flush();
        return 0;
    }
}
