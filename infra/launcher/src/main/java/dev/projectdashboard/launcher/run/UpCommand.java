package dev.projectdashboard.launcher.run;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.build.BuildCheck;
import dev.projectdashboard.launcher.build.MavenBuild;
import dev.projectdashboard.launcher.cli.Command;
import dev.projectdashboard.launcher.cli.Durations;
import dev.projectdashboard.launcher.ops.LogFiles;
import dev.projectdashboard.launcher.process.Leftovers;
import dev.projectdashboard.launcher.readiness.PortCheck;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.state.InstanceLock;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.JavaLaunchCommands;
import dev.projectdashboard.launcher.suite.LaunchCommands;
import dev.projectdashboard.launcher.suite.StackPorts.PortClaim;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import dev.projectdashboard.launcher.token.DevTokens;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/** {@code up}, {@code up --detach} and the background {@code supervise} it leaves running. */
public final class UpCommand {

    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration DASHBOARD_TOKEN_TTL = Duration.ofHours(8);

    private final Workspace workspace;
    private final SuiteDefinition suite;
    private final Map<String, String> environment;
    private final Console console;
    private final LaunchCommands commands;
    private final Optional<Path> launcherJar;

    public UpCommand(
            Workspace workspace,
            SuiteDefinition suite,
            Map<String, String> environment,
            Console console,
            LaunchCommands commands,
            Optional<Path> launcherJar) {
        this.workspace = workspace;
        this.suite = suite;
        this.environment = environment;
        this.console = console;
        this.commands = commands;
        this.launcherJar = launcherJar;
    }

    public static UpCommand standard(
            Workspace workspace, Map<String, String> environment, Console console, Optional<Path> launcherJar) {
        return new UpCommand(
                workspace,
                SuiteDefinition.standard(workspace.root(), environment),
                environment,
                console,
                JavaLaunchCommands.fromEnvironment(environment),
                launcherJar);
    }

    public int up(Command.Up up) throws IOException, InterruptedException {
        Optional<Integer> refused = preflight(up.build());
        if (refused.isPresent()) {
            return refused.get();
        }
        return up.detach() ? detach(up.startTimeout()) : runHere(up.startTimeout(), SuiteState.Mode.FOREGROUND);
    }

    public int supervise(Command.Supervise supervise) {
        return runHere(supervise.startTimeout(), SuiteState.Mode.DETACHED);
    }

    private int runHere(Duration startTimeout, SuiteState.Mode mode) {
        Optional<InstanceLock> lock = InstanceLock.tryAcquire(workspace.lockFile());
        if (lock.isEmpty()) {
            return alreadyRunning();
        }
        try (InstanceLock held = lock.get()) {
            SuiteRunner runner = new SuiteRunner(
                    workspace,
                    suite,
                    commands,
                    new ReadinessProbe(POLL_INTERVAL, REQUEST_TIMEOUT),
                    environment,
                    SuiteRunner.Settings.defaults(startTimeout, mode),
                    console);
            Thread hook = new Thread(runner::stop, "dashboard-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            if (!runner.start()) {
                return 1;
            }
            printSummary(runner, mode);
            runner.markReady();
            return runner.awaitTermination();
        }
    }

    /**
     * Starts {@code supervise} as a process of its own session (it survives this terminal), shows its output
     * until the suite is ready, and returns. Ctrl-C before that stops what it started.
     */
    private int detach(Duration startTimeout) throws IOException, InterruptedException {
        if (launcherJar.isEmpty()) {
            console.error("Cannot find the launcher's own jar to start the background supervisor.");
            return 1;
        }
        Path log = workspace.log("supervisor");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        JavaLaunchCommands.findOnPath("setsid", environment)
                .or(() -> JavaLaunchCommands.findOnPath("nohup", environment))
                .ifPresent(command::add);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.add("-XX:+UseSerialGC");
        command.add("-D" + Workspace.ROOT_PROPERTY + "=" + workspace.root());
        command.add("-cp");
        command.add(launcherJar.get().toString());
        command.add("dev.projectdashboard.launcher.DashboardMain");
        command.add("supervise");
        command.add("--timeout=" + startTimeout.toSeconds() + "s");
        Process supervisor = new ProcessBuilder(command)
                .directory(workspace.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        Thread abandon = new Thread(
                () -> {
                    if (supervisor.isAlive() && !isReady(supervisor)) {
                        supervisor.destroy();
                        supervisor.toHandle().onExit().join();
                    }
                },
                "dashboard-abandon");
        Runtime.getRuntime().addShutdownHook(abandon);
        StateStore store = new StateStore(workspace.stateFile());
        // One more round after the supervisor is ready or gone, to show its last lines.
        AtomicBoolean finished = new AtomicBoolean();
        LogFiles.follow(
                Map.of("supervisor", log),
                (name, line) -> console.line(line),
                () -> !finished.getAndSet(!supervisor.isAlive() || isReady(supervisor)),
                Duration.ofMillis(200),
                true);
        Runtime.getRuntime().removeShutdownHook(abandon);
        if (supervisor.isAlive()) {
            return 0;
        }
        int exit = supervisor.waitFor();
        store.read().filter(s -> s.supervisor().pid() == supervisor.pid()).ifPresent(s -> store.delete());
        console.error("The suite did not start (supervisor exit code " + exit + "); its output is in "
                + workspace.display(log) + ".");
        return exit == 0 ? 1 : exit;
    }

    private boolean isReady(Process supervisor) {
        return new StateStore(workspace.stateFile())
                .read()
                .filter(s -> s.supervisor().pid() == supervisor.pid())
                .map(s -> s.status() == SuiteState.Status.READY)
                .orElse(false);
    }

    /** Everything that should stop {@code up} before a single process starts; the exit code if so. */
    private Optional<Integer> preflight(boolean build) throws IOException, InterruptedException {
        if (InstanceLock.isHeld(workspace.lockFile())) {
            return Optional.of(alreadyRunning());
        }
        StateStore store = new StateStore(workspace.stateFile());
        List<String> remains = new ArrayList<>();
        store.read().ifPresent(previous -> previous.components().stream()
                .filter(c -> c.process().isAlive())
                .forEach(c -> remains.add(c.name() + " (pid " + c.process().pid() + ")")));
        Leftovers.referencing(workspace.localStackDir()).stream()
                .map(Leftovers::describe)
                .forEach(remains::add);
        if (!remains.isEmpty()) {
            console.error("A previous run left processes behind: " + String.join(", ", remains) + ".");
            console.error("Run ./dashboard down to stop them, then ./dashboard up again.");
            return Optional.of(1);
        }
        store.delete();

        List<Component> stale = BuildCheck.stale(suite.all());
        if (!stale.isEmpty()) {
            if (!build) {
                console.error("Missing or outdated jars (--no-build given): " + names(stale) + ".");
                return Optional.of(1);
            }
            console.line("Jars missing or older than their sources: " + names(stale) + ".");
            if (!new MavenBuild(workspace.root(), workspace.log("build"), console).run()) {
                return Optional.of(1);
            }
            List<Component> missing = suite.all().stream()
                    .filter(c -> !Files.isRegularFile(c.jar()))
                    .toList();
            if (!missing.isEmpty()) {
                console.error("The build succeeded but these jars are still missing: "
                        + missing.stream().map(c -> workspace.display(c.jar())).collect(Collectors.joining(", ")));
                return Optional.of(1);
            }
        }

        List<PortClaim> taken = PortCheck.taken(suite.portClaims());
        if (!taken.isEmpty()) {
            for (PortClaim claim : taken) {
                console.error("Port " + claim.port() + " is already in use, and " + claim.owner() + " needs it: "
                        + claim.remedy() + ".");
            }
            console.error("(To see who holds a port: ss -ltnp 'sport = :"
                    + taken.get(0).port() + "')");
            return Optional.of(1);
        }
        return Optional.empty();
    }

    private int alreadyRunning() {
        Optional<SuiteState> state = new StateStore(workspace.stateFile()).read();
        String who = state.map(s -> " (" + s.mode().name().toLowerCase(Locale.ROOT) + ", pid "
                        + s.supervisor().pid() + ", started " + Durations.human(ageOf(s.startedAt())) + " ago)")
                .orElse("");
        console.error("The suite is already running" + who + ".");
        console.error("See ./dashboard status, or stop it with ./dashboard down.");
        return 1;
    }

    private static Duration ageOf(Instant start) {
        Duration age = Duration.between(start, Instant.now());
        return age.isNegative() || age.isZero() ? Duration.ofSeconds(1) : age.withNanos(0);
    }

    private void printSummary(SuiteRunner runner, SuiteState.Mode mode) {
        Component gateway = suite.gateway();
        Map<String, String> gatewayEnv = runner.serviceEnvironment(gateway);
        String token = DevTokens.mint(
                new DevTokens.Claims("dev", true, List.of("*"), List.of("*")),
                DevTokens.secret(gatewayEnv),
                Instant.now(),
                DASHBOARD_TOKEN_TTL);
        console.line("");
        console.line("Project Dashboard is ready (" + Durations.seconds(runner.elapsed()) + ").");
        console.line("");
        console.line("  Dashboard  http://localhost:" + gateway.port() + "/project-dashboard/?token=" + token);
        console.line("             (admin token for user 'dev', valid " + Durations.human(DASHBOARD_TOKEN_TTL)
                + "; a fresh one: ./dashboard token --admin)");
        String jwks = gatewayEnv.getOrDefault(DevTokens.JWKS_ENV, "");
        if (!jwks.isBlank()) {
            console.line("             note: " + DevTokens.JWKS_ENV + " is set, so the services will reject this"
                    + " token and expect one from your identity provider");
        }
        console.line("  Logs       " + workspace.display(workspace.logs()) + "/<name>.log"
                + "   (./dashboard logs gateway -f)");
        console.line("  Status     ./dashboard status");
        console.line(
                mode == SuiteState.Mode.FOREGROUND
                        ? "  Stop       Ctrl-C here (or ./dashboard down from another terminal)"
                        : "  Stop       ./dashboard down");
        console.line("");
    }

    private static String names(List<Component> components) {
        return components.stream().map(Component::name).collect(Collectors.joining(", "));
    }
}
