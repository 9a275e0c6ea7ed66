package dev.projectdashboard.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Runs the local stack on fixed ports until SIGTERM or Ctrl-C: {@code java -jar local-stack-<version>-exec.jar}.
 *
 * <p>Ports come from {@code LOCAL_STACK_REDIS_PORT} (6379), {@code LOCAL_STACK_POSTGRES_PORT} (5432), {@code
 * LOCAL_STACK_MQTT_PORT} (1883) and {@code LOCAL_STACK_S3_PORT} (9000); files go to {@code LOCAL_STACK_DIR}
 * (default: a private temporary directory removed on exit). With {@code LOCAL_STACK_MQTT_AUTH_URL} and {@code
 * LOCAL_STACK_MQTT_AUTH_API_KEY} the MQTT broker lets in only the clients that endpoint allows, from the first
 * CONNECT on ({@link LocalStack#requireMqttAuthentication}). When everything is up it writes {@code
 * $LOCAL_STACK_DIR/local-stack.env} and prints {@code local-stack ready}. A port in use ends it at once with exit
 * code 2.
 */
public final class LocalStackMain {

    public static final String READY_LINE = "local-stack ready";
    public static final String ENV_FILE = "local-stack.env";
    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_BAD_SETTINGS = 2;

    private LocalStackMain() {}

    public static void main(String[] args) {
        // before the first logger exists: the jars on the classpath bring their own logback.xml files
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "local-stack-logback.xml");
        }
        Map<String, String> env = System.getenv();
        LocalStackSettings settings;
        try {
            settings = withDefaultCacheDir(LocalStackSettings.fromEnvironment(env));
        } catch (IllegalArgumentException e) {
            System.err.println("local-stack: " + e.getMessage());
            System.exit(EXIT_BAD_SETTINGS);
            return;
        }
        // zonky scans this directory for stale data directories; keep it in the cache, not in /tmp
        System.setProperty(
                "ot.epg.working-dir", settings.cacheDir().resolve("embedded-pg").toString());
        int status = run(settings, System.out, System.err, LocalStackMain::awaitShutdown);
        System.exit(status);
    }

    /**
     * Starts the stack, announces it, hands it to {@code whileRunning} and returns the exit status. Returns {@link
     * #EXIT_BAD_SETTINGS} without starting anything when a port is taken.
     */
    static int run(LocalStackSettings settings, PrintStream out, PrintStream err, Consumer<LocalStack> whileRunning) {
        List<String> clashes = portClashes(settings);
        if (!clashes.isEmpty()) {
            clashes.forEach(clash -> err.println("local-stack: " + clash));
            err.flush();
            return EXIT_BAD_SETTINGS;
        }
        LocalStack stack;
        try {
            stack = LocalStack.start(settings);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(LocalStackMain.class).error("local stack failed to start", e);
            err.println("local-stack: " + e.getMessage());
            err.flush();
            return EXIT_FAILED;
        }
        Path envFile = stack.workDir().resolve(ENV_FILE);
        Thread stopper = new Thread(() -> stop(stack, envFile), "local-stack-shutdown");
        Runtime.getRuntime().addShutdownHook(stopper);
        try {
            writeAtomically(envFile, stack.environment());
        } catch (IOException e) {
            err.println("local-stack: cannot write " + envFile + ": " + e.getMessage());
            Runtime.getRuntime().removeShutdownHook(stopper);
            stop(stack, envFile);
            return EXIT_FAILED;
        }
        out.println("local-stack environment in " + envFile);
        out.println(READY_LINE);
        out.flush();
        whileRunning.accept(stack);
        return EXIT_OK;
    }

    static List<String> portClashes(LocalStackSettings settings) {
        List<String> clashes = new ArrayList<>();
        new TreeMap<>(settings.portsByEnvironmentVariable()).forEach((variable, port) -> {
            if (port != 0 && !Ports.isFree(port)) {
                clashes.add("port " + port + " is already in use; set " + variable + " to a free port");
            }
        });
        return clashes;
    }

    static void writeAtomically(Path file, Map<String, String> environment) throws IOException {
        String content = environment.entrySet().stream()
                .map(entry -> entry.getKey() + "=" + entry.getValue())
                .collect(Collectors.joining("\n", "", "\n"));
        // readers polling for the file never see it half-written
        Path partial = Files.createTempFile(file.getParent(), ENV_FILE, ".partial");
        try {
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static void stop(LocalStack stack, Path envFile) {
        try {
            Files.deleteIfExists(envFile);
        } catch (IOException e) {
            // the directory goes with the stack when it is ours; a stale file elsewhere is only cosmetic
        }
        stack.close();
    }

    private static LocalStackSettings withDefaultCacheDir(LocalStackSettings settings) {
        if (settings.cacheDir() != null) {
            return settings;
        }
        String xdgCache = System.getenv("XDG_CACHE_HOME");
        Path cacheHome = xdgCache == null || xdgCache.isBlank()
                ? Path.of(System.getProperty("user.home"), ".cache")
                : Path.of(xdgCache);
        return new LocalStackSettings(
                settings.redisPort(),
                settings.postgresPort(),
                settings.mqttPort(),
                settings.s3Port(),
                settings.workDir(),
                cacheHome.resolve("project-dashboard").resolve("local-stack"),
                settings.mqttAuthUrl(),
                settings.mqttAuthApiKey());
    }

    private static void awaitShutdown(LocalStack stack) {
        try {
            // the shutdown hook stops the stack; this thread only keeps the JVM alive until then
            new CountDownLatch(1).await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
