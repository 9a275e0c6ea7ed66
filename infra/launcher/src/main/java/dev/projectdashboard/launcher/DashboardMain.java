package dev.projectdashboard.launcher;

import dev.projectdashboard.launcher.cli.Command;
import dev.projectdashboard.launcher.cli.CommandLineParser;
import dev.projectdashboard.launcher.cli.UsageException;
import dev.projectdashboard.launcher.ops.DownCommand;
import dev.projectdashboard.launcher.ops.LogsCommand;
import dev.projectdashboard.launcher.ops.StatusCommand;
import dev.projectdashboard.launcher.ops.TokenCommand;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.run.UpCommand;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Entry point of {@code ./dashboard}. Exit codes: 0 fine, 1 failed, 2 wrong usage. */
public final class DashboardMain {

    private DashboardMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Console console = Console.system();
        Map<String, String> environment = System.getenv();
        try {
            Command command = new CommandLineParser(environment).parse(args);
            Optional<Path> launcherJar = launcherLocation();
            Workspace workspace = Workspace.locate(
                    Optional.ofNullable(System.getProperty(Workspace.ROOT_PROPERTY)),
                    launcherJar,
                    Path.of("").toAbsolutePath());
            return dispatch(command, workspace, environment, console, launcherJar);
        } catch (UsageException e) {
            console.error(e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            // bad settings such as LOCAL_STACK_REDIS_PORT=abc, with a message naming them
            console.error(e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            console.error("./dashboard failed: " + e);
            return 1;
        }
    }

    // Java 17: no pattern matching for switch yet, hence the instanceof chain over the sealed Command.
    private static int dispatch(
            Command command,
            Workspace workspace,
            Map<String, String> environment,
            Console console,
            Optional<Path> launcherJar)
            throws Exception {
        if (command instanceof Command.Help help) {
            System.out.print(help.text());
            return 0;
        }
        if (command instanceof Command.Up up) {
            return UpCommand.standard(workspace, environment, console, launcherJar)
                    .up(up);
        }
        if (command instanceof Command.Supervise supervise) {
            return UpCommand.standard(workspace, environment, console, launcherJar)
                    .supervise(supervise);
        }
        if (command instanceof Command.Down) {
            return DownCommand.standard(workspace, console).down();
        }
        SuiteDefinition suite = SuiteDefinition.standard(workspace.root(), environment);
        if (command instanceof Command.Status) {
            return new StatusCommand(
                            workspace,
                            suite,
                            console,
                            new ReadinessProbe(Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .status();
        }
        if (command instanceof Command.Logs logs) {
            return new LogsCommand(workspace, suite, console, System.out).logs(logs);
        }
        if (command instanceof Command.Token token) {
            return new TokenCommand(workspace, environment, console, System.out).token(token);
        }
        throw new IllegalStateException("Unhandled command " + command);
    }

    private static Optional<Path> launcherLocation() {
        try {
            Path location = Path.of(DashboardMain.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.exists(location) ? Optional.of(location) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }
}
