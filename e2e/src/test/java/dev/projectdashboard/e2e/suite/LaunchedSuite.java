package dev.projectdashboard.e2e.suite;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.build.BuildCheck;
import dev.projectdashboard.launcher.ops.DownCommand;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.run.SuiteRunner;
import dev.projectdashboard.launcher.state.InstanceLock;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.BindAddress;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.JavaLaunchCommands;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The whole suite, started by the launcher's own {@link SuiteRunner} (what {@code ./dashboard up} runs): local-stack
 * and the six services as separate JVMs from their built jars, each on a free port, with secrets of this run.
 * {@link #close()} stops it as Ctrl-C does: services first, then local-stack and anything it left.
 */
final class LaunchedSuite implements AutoCloseable {

    /** Where the repository is (the e2e module's parent) and where this run keeps its logs. */
    static final String ROOT_PROPERTY = "e2e.root";

    static final String WORK_PROPERTY = "e2e.work";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    /**
     * Settings a developer's shell may hold that would point a service at another server or port than this run's
     * (the user's environment wins in the launcher, as it should for {@code ./dashboard up}).
     */
    private static final Pattern FOREIGN = Pattern.compile("(LOCAL_STACK_.*|REDIS_.*|POSTGRES_.*|MQTT_.*|S3_.*|OSS_.*"
            + "|.*_SERVICE_URL|DEVICE_BRIDGE_URL|DEPLOY_NOTIFIER_URL|SERVER_.*|SPRING_.*|DASHBOARD_.*|DEPLOY_.*"
            + "|PUSH_.*|DEVICES_.*|FILES_.*|GATEWAY_.*)");

    private final SuiteRunner runner;
    private final InstanceLock lock;
    private final RunningSuite suite;
    private final Thread stopOnExit;

    private LaunchedSuite(SuiteRunner runner, InstanceLock lock, RunningSuite suite) {
        this.runner = runner;
        this.lock = lock;
        this.suite = suite;
        this.stopOnExit = new Thread(runner::stop, "e2e-suite-stop");
    }

    RunningSuite suite() {
        return suite;
    }

    static LaunchedSuite start() {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, ".."))
                .toAbsolutePath()
                .normalize();
        Workspace workspace = new Workspace(Path.of(System.getProperty(WORK_PROPERTY, "target/suite")));
        Console console = new Console(System.out, System.err, false);

        Map<String, String> environment = new HashMap<>();
        System.getenv().forEach((name, value) -> {
            if (!FOREIGN.matcher(name).matches()) {
                environment.put(name, value);
            }
        });
        List<Integer> ports = FreePorts.take(10);
        Iterator<Integer> free = ports.iterator();
        int redis = free.next();
        int postgres = free.next();
        int mqtt = free.next();
        int s3 = free.next();
        environment.put("LOCAL_STACK_REDIS_PORT", Integer.toString(redis));
        environment.put("LOCAL_STACK_POSTGRES_PORT", Integer.toString(postgres));
        environment.put("LOCAL_STACK_MQTT_PORT", Integer.toString(mqtt));
        environment.put("LOCAL_STACK_S3_PORT", Integer.toString(s3));
        // secrets of this run, not the development defaults: a test that signs or mints with them proves the
        // launcher handed each service the operator's settings
        String jwtSecret = "e2e-jwt-" + randomHex(32);
        String apiKey = "e2e-api-key-" + randomHex(16);
        String webhookSecret = "e2e-webhook-" + randomHex(16);
        environment.put("DASHBOARD_JWT_SECRET", jwtSecret);
        environment.put("DASHBOARD_API_KEY", apiKey);
        environment.put("DEPLOY_WEBHOOK_SECRET", webhookSecret);
        // the test's webhook sinks listen on loopback (push-service's default, stated here because the flow needs it)
        environment.put("PUSH_ALLOWED_PRIVATE_NETWORKS", "127.0.0.0/8");

        SuiteDefinition standard = SuiteDefinition.standard(root, environment);
        List<Component> services = new ArrayList<>();
        for (Component service : standard.services()) {
            services.add(new Component(
                    service.name(),
                    service.kind(),
                    free.next(),
                    service.jar(),
                    service.sources(),
                    service.jvmOptions()));
        }
        SuiteDefinition definition =
                new SuiteDefinition(standard.localStack(), services, standard.stackPorts(), BindAddress.LOOPBACK);
        requireJars(definition, console);

        InstanceLock lock = lockWorkspace(workspace, console);
        SuiteRunner runner = new SuiteRunner(
                workspace,
                definition,
                JavaLaunchCommands.fromEnvironment(environment),
                new ReadinessProbe(Duration.ofMillis(250), Duration.ofSeconds(2)),
                environment,
                new SuiteRunner.Settings(
                        START_TIMEOUT, Duration.ofSeconds(15), Duration.ofSeconds(20), SuiteState.Mode.FOREGROUND),
                console);
        RunningSuite running =
                new RunningSuite(definition.gateway().port(), mqtt, jwtSecret, apiKey, webhookSecret, workspace.logs());
        LaunchedSuite launched = new LaunchedSuite(runner, lock, running);
        Runtime.getRuntime().addShutdownHook(launched.stopOnExit);
        if (!runner.start()) {
            launched.close();
            throw new IllegalStateException("The suite did not start; the launcher said why above, and each "
                    + "component's log is in " + workspace.logs());
        }
        runner.markReady();
        console.line("e2e: suite ready in " + runner.elapsed().toSeconds() + " s, gateway on :"
                + definition.gateway().port() + ", MQTT on :" + mqtt + ", logs in " + workspace.logs());
        return launched;
    }

    @Override
    public void close() {
        try {
            runner.stop();
        } finally {
            lock.close();
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: the suite is stopped either way
            }
        }
    }

    /**
     * One run per workspace. A run that was killed (surefire's timeout, SIGKILL) left its JVMs and PostgreSQL behind:
     * they are stopped from its state file first, as {@code ./dashboard down} would.
     */
    private static InstanceLock lockWorkspace(Workspace workspace, Console console) {
        try {
            Files.createDirectories(workspace.dir());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create " + workspace.dir(), e);
        }
        if (InstanceLock.isHeld(workspace.lockFile())) {
            throw new IllegalStateException("Another end-to-end run is using " + workspace.dir());
        }
        if (DownCommand.standard(workspace, console).down() != 0) {
            throw new IllegalStateException("A previous end-to-end run left processes that could not be stopped");
        }
        Optional<InstanceLock> lock = InstanceLock.tryAcquire(workspace.lockFile());
        return lock.orElseThrow(() -> new IllegalStateException("Another end-to-end run is using " + workspace.dir()));
    }

    /**
     * Missing jars stop the run with the command that builds them. Stale ones (sources newer than the jar) are only
     * named: Maven leaves a jar untouched when only its tests changed, which would look stale for ever.
     */
    private static void requireJars(SuiteDefinition definition, Console console) {
        List<Component> missing = definition.all().stream()
                .filter(c -> !Files.isRegularFile(c.jar()))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Missing jars: "
                    + missing.stream().map(c -> c.jar().toString()).collect(Collectors.joining(", "))
                    + ". Build them first: ./mvnw -B package -DskipTests (a plain ./mvnw verify builds them before"
                    + " this module).");
        }
        List<Component> stale = BuildCheck.stale(definition.all());
        if (!stale.isEmpty()) {
            console.line("e2e: note, sources changed after these jars were built (testing the jars as they are): "
                    + stale.stream().map(Component::name).collect(Collectors.joining(", ")));
        }
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        new SecureRandom().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
