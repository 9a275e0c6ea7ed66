package dev.projectdashboard.launcher.run;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Durations;
import dev.projectdashboard.launcher.ops.LogFiles;
import dev.projectdashboard.launcher.process.Leftovers;
import dev.projectdashboard.launcher.process.Liveness;
import dev.projectdashboard.launcher.process.ProcessRef;
import dev.projectdashboard.launcher.process.ProcessStopper;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.BindAddress;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.EnvFile;
import dev.projectdashboard.launcher.suite.EnvironmentMerger;
import dev.projectdashboard.launcher.suite.LaunchCommands;
import dev.projectdashboard.launcher.suite.StackPorts;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import dev.projectdashboard.launcher.token.DevTokens;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * Starts local-stack, then the services, waits until all are ready, and stops everything in the reverse
 * order — on Ctrl-C, on {@code down}, or when something fails. Used by {@code up} in the foreground and by
 * the background supervisor of {@code up --detach} alike.
 */
public final class SuiteRunner {

    /**
     * @param serviceStopGrace how long services get to shut down gracefully before SIGKILL
     * @param stackStopGrace the same for local-stack (its MQTT broker alone takes a few seconds)
     */
    public record Settings(
            Duration startTimeout, Duration serviceStopGrace, Duration stackStopGrace, SuiteState.Mode mode) {

        public static Settings defaults(Duration startTimeout, SuiteState.Mode mode) {
            return new Settings(startTimeout, Duration.ofSeconds(20), Duration.ofSeconds(30), mode);
        }
    }

    private static final int LOG_TAIL_LINES = 25;
    private static final File NO_INPUT = new File("/dev/null");

    private record Started(Component component, Process process, Path log, Instant at) {}

    private record Readiness(Started started, ReadinessProbe.Result result, Instant at) {}

    private final Workspace workspace;
    private final SuiteDefinition suite;
    private final LaunchCommands commands;
    private final ReadinessProbe probe;
    private final Map<String, String> userEnvironment;
    private final Settings settings;
    private final Console console;
    private final StateStore store;

    private final Object lock = new Object();
    private final List<Started> started = new ArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean stopping;
    private volatile int exitCode;
    private volatile SuiteState state;
    private volatile Map<String, String> stackEnvironment = Map.of();
    private Instant startedAt = Instant.now();

    public SuiteRunner(
            Workspace workspace,
            SuiteDefinition suite,
            LaunchCommands commands,
            ReadinessProbe probe,
            Map<String, String> userEnvironment,
            Settings settings,
            Console console) {
        this.workspace = workspace;
        this.suite = suite;
        this.commands = commands;
        this.probe = probe;
        this.userEnvironment = Map.copyOf(userEnvironment);
        this.settings = settings;
        this.console = console;
        this.store = new StateStore(workspace.stateFile());
    }

    /** Starts everything and waits for readiness; on failure everything started is stopped again. */
    public boolean start() {
        startedAt = Instant.now();
        Instant deadline = startedAt.plus(settings.startTimeout());
        try {
            Files.createDirectories(workspace.logs());
            // Nothing of ours runs now (up checked), and local-stack keeps no data between runs: a clean
            // directory spares it the debris of a crashed run, such as a half-used PostgreSQL data directory.
            deleteRecursively(workspace.localStackDir());
            Files.createDirectories(workspace.localStackDir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare " + workspace.dir(), e);
        }
        state = new SuiteState(
                ProcessRef.of(ProcessHandle.current()),
                settings.mode(),
                SuiteState.Status.STARTING,
                startedAt,
                "",
                List.of());
        store.write(state);

        StackPorts ports = suite.stackPorts();
        console.line(String.format(
                Locale.ROOT,
                "Starting local-stack (Redis :%d, PostgreSQL :%d, MQTT :%d, S3 :%d)…",
                ports.redis(),
                ports.postgres(),
                ports.mqtt(),
                ports.s3()));
        Optional<Started> stack = launch(
                suite.localStack(),
                EnvironmentMerger.forLocalStack(
                        userEnvironment,
                        workspace.localStackDir(),
                        suite.component("device-bridge").map(Component::port)));
        if (stack.isEmpty()) {
            return failed();
        }
        Path envFile = workspace.localStackEnv();
        ReadinessProbe.Result stackResult =
                probe.awaitCondition(() -> Files.isRegularFile(envFile), () -> isRunning(stack.get()), deadline);
        if (stackResult != ReadinessProbe.Result.READY) {
            return failed(stack.get(), stackResult);
        }
        stackEnvironment = EnvFile.read(envFile);
        console.line(row(
                stack.get(),
                "ready in " + Durations.seconds(Duration.between(stack.get().at(), Instant.now())) + "   "
                        + workspace.display(stack.get().log())));
        Set<String> overridden = EnvironmentMerger.overriddenByUser(userEnvironment, stackEnvironment);
        if (!overridden.isEmpty()) {
            console.line("  using your " + String.join(", ", overridden) + " instead of local-stack's");
        }
        String secret = DevTokens.secret(serviceEnvironment(suite.gateway()));
        state = new SuiteState(
                state.supervisor(),
                state.mode(),
                state.status(),
                state.startedAt(),
                DevTokens.fingerprint(secret),
                state.components());
        store.write(state);

        console.line("Starting " + suite.services().size() + " services ("
                + (suite.bindAddress().isOpen()
                        ? "all of them on every interface, " + BindAddress.ENV + "="
                                + suite.bindAddress().address()
                        : "the gateway on every interface, the others on "
                                + suite.bindAddress().address() + " only")
                + ")…");
        List<Started> services = new ArrayList<>();
        for (Component service : suite.services()) {
            Optional<Started> launched = launch(service, serviceEnvironment(service));
            if (launched.isEmpty()) {
                return failed();
            }
            services.add(launched.get());
        }
        return awaitServices(services, deadline);
    }

    private boolean awaitServices(List<Started> services, Instant deadline) {
        ExecutorService pool = Executors.newFixedThreadPool(services.size(), runnable -> {
            Thread thread = new Thread(runnable, "readiness");
            thread.setDaemon(true);
            return thread;
        });
        try {
            CompletionService<Readiness> readiness = new ExecutorCompletionService<>(pool);
            for (Started service : services) {
                readiness.submit(() -> new Readiness(
                        service,
                        probe.await(
                                ReadinessProbe.readinessUri(service.component().port()),
                                () -> isRunning(service),
                                deadline),
                        Instant.now()));
            }
            for (int i = 0; i < services.size(); i++) {
                Readiness outcome = readiness.take().get();
                if (outcome.result() != ReadinessProbe.Result.READY) {
                    return failed(outcome.started(), outcome.result());
                }
                Started service = outcome.started();
                console.line(row(
                        service,
                        "ready in " + Durations.seconds(Duration.between(service.at(), outcome.at())) + "   "
                                + workspace.display(service.log())));
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Readiness check failed", e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Records that the suite is ready and starts watching for components that die afterwards. */
    public void markReady() {
        state = state.withStatus(SuiteState.Status.READY);
        store.write(state);
        List<Started> snapshot;
        synchronized (lock) {
            snapshot = List.copyOf(started);
        }
        for (Started component : snapshot) {
            component.process().onExit().thenRun(() -> exitedWhileRunning(component));
        }
    }

    /** Blocks until the suite has been stopped; the exit code for the launcher. */
    public int awaitTermination() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return exitCode;
    }

    /** Stops services first, then local-stack and whatever it left behind. Safe to call from any thread, twice. */
    public void stop() {
        List<Started> snapshot;
        boolean alreadyStopping;
        synchronized (lock) {
            alreadyStopping = stopping;
            stopping = true;
            snapshot = List.copyOf(started);
        }
        if (alreadyStopping) {
            awaitStopped();
            return;
        }
        try {
            if (state != null) {
                store.write(state.withStatus(SuiteState.Status.STOPPING));
            }
            List<ProcessHandle> services = snapshot.stream()
                    .filter(s -> s.component().isService())
                    .map(s -> s.process().toHandle())
                    .filter(Liveness::isRunning)
                    .toList();
            if (!services.isEmpty()) {
                stopGroup(
                        "Stopping " + services.size() + (services.size() == 1 ? " service…" : " services…"),
                        services,
                        settings.serviceStopGrace());
            }
            for (Started stack :
                    snapshot.stream().filter(s -> !s.component().isService()).toList()) {
                stopLocalStack(stack.process().toHandle());
            }
            store.delete();
            if (!snapshot.isEmpty()) {
                console.line("Everything is stopped.");
            }
        } finally {
            stopped.countDown();
        }
    }

    /** The environment a service gets (see {@link EnvironmentMerger} for who wins). */
    public Map<String, String> serviceEnvironment(Component service) {
        return EnvironmentMerger.forService(userEnvironment, stackEnvironment, suite, service);
    }

    public Duration elapsed() {
        return Duration.between(startedAt, Instant.now());
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private void stopLocalStack(ProcessHandle stack) {
        // Snapshot first: once local-stack is gone its children are no longer its descendants.
        List<ProcessHandle> descendants = stack.descendants().toList();
        if (Liveness.isRunning(stack)) {
            stopGroup("Stopping local-stack…", List.of(stack), settings.stackStopGrace());
        }
        Set<ProcessHandle> leftovers = new LinkedHashSet<>();
        descendants.stream().filter(Liveness::isRunning).forEach(leftovers::add);
        leftovers.addAll(Leftovers.referencing(workspace.localStackDir()));
        if (!leftovers.isEmpty()) {
            List<String> names = leftovers.stream().map(Leftovers::describe).toList();
            ProcessStopper.stopAll(leftovers, Duration.ofSeconds(10));
            console.line("  also stopped what local-stack left running: " + String.join(", ", names));
        }
    }

    private void stopGroup(String announcement, List<ProcessHandle> processes, Duration grace) {
        console.line(announcement);
        Instant begin = Instant.now();
        List<ProcessHandle> killed = ProcessStopper.stopAll(processes, grace);
        String took = Durations.seconds(Duration.between(begin, Instant.now()));
        if (killed.isEmpty()) {
            console.line("  stopped in " + took);
        } else {
            console.line("  stopped in " + took + "; " + names(killed) + " ignored SIGTERM for "
                    + Durations.human(grace) + " and " + (killed.size() == 1 ? "was" : "were") + " killed");
        }
    }

    private String names(List<ProcessHandle> processes) {
        List<String> names = new ArrayList<>();
        synchronized (lock) {
            for (ProcessHandle process : processes) {
                names.add(started.stream()
                        .filter(s -> s.process().pid() == process.pid())
                        .map(s -> s.component().name())
                        .findFirst()
                        .orElse("pid " + process.pid()));
            }
        }
        return String.join(", ", names);
    }

    private Optional<Started> launch(Component component, Map<String, String> environment) {
        synchronized (lock) {
            if (stopping) {
                return Optional.empty();
            }
            Path log = workspace.log(component.name());
            ProcessBuilder builder = new ProcessBuilder(commands.command(component))
                    .directory(workspace.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(NO_INPUT));
            builder.environment().clear();
            builder.environment().putAll(environment);
            try {
                Started launched = new Started(component, builder.start(), log, Instant.now());
                started.add(launched);
                state = state.withComponents(started.stream()
                        .map(s -> new SuiteState.ComponentProcess(
                                s.component().name(),
                                ProcessRef.of(s.process().toHandle()),
                                s.component().port(),
                                s.log()))
                        .toList());
                store.write(state);
                return Optional.of(launched);
            } catch (IOException e) {
                console.error("Cannot start " + component.name() + ": " + e.getMessage());
                exitCode = 1;
                return Optional.empty();
            }
        }
    }

    private boolean isRunning(Started component) {
        return component.process().isAlive() && !isStopping();
    }

    private boolean isStopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    private boolean failed(Started component, ReadinessProbe.Result result) {
        if (isStopping()) {
            return failed();
        }
        String name = component.component().name();
        if (result == ReadinessProbe.Result.TIMED_OUT) {
            console.error(name + " was not ready within " + Durations.human(settings.startTimeout())
                    + " (wait longer with --timeout or DASHBOARD_START_TIMEOUT).");
        } else {
            console.error(name + " exited with code " + exitValue(component.process()) + " while starting.");
        }
        List<String> tail = LogFiles.tail(component.log(), LOG_TAIL_LINES);
        if (tail.isEmpty()) {
            console.error("Its log is empty: " + workspace.display(component.log()));
        } else {
            console.error("Last lines of " + workspace.display(component.log()) + ":");
            tail.forEach(line -> console.error("  │ " + line));
        }
        exitCode = 1;
        return failed();
    }

    private boolean failed() {
        if (exitCode == 0 && !isStopping()) {
            exitCode = 1;
        }
        stop();
        return false;
    }

    private void exitedWhileRunning(Started component) {
        if (isStopping()) {
            return;
        }
        String name = component.component().name();
        console.error(name + " exited unexpectedly with code " + exitValue(component.process()) + ". Last lines of "
                + workspace.display(component.log()) + ":");
        LogFiles.tail(component.log(), LOG_TAIL_LINES).forEach(line -> console.error("  │ " + line));
        if (!component.component().isService()) {
            // Without Redis and PostgreSQL no service can work: end the run instead of limping on.
            console.error("Stopping the suite, since local-stack is gone.");
            exitCode = 1;
            stop();
        }
    }

    private static String exitValue(Process process) {
        try {
            return Integer.toString(process.onExit().get(2, TimeUnit.SECONDS).exitValue());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        } catch (ExecutionException | TimeoutException e) {
            return "?";
        }
    }

    private void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String row(Started component, String text) {
        String port =
                component.component().isService() ? ":" + component.component().port() : "";
        return String.format(
                Locale.ROOT, "  %-18s %-6s %s", component.component().name(), port, text);
    }

    /** Every process this runner started, for tests and for {@code status}. */
    List<ProcessHandle> processes() {
        synchronized (lock) {
            return started.stream().map(s -> s.process().toHandle()).toList();
        }
    }
}
