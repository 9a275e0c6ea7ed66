package dev.projectdashboard.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Redis, PostgreSQL, MQTT broker and S3 server for one process, each on 127.0.0.1: the infrastructure of
 * the suite for tests ({@link LocalStackExtension}) and for local runs ({@link LocalStackMain}).
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStack.class);
    private static final String REDIS_DIR = "redis";
    private static final String POSTGRES_DIR = "pg";
    private static final String MQTT_DIR = "mqtt";
    private static final String S3_DIR = "s3";
    private static final List<String> SERVER_DIRECTORIES = List.of(REDIS_DIR, POSTGRES_DIR, MQTT_DIR, S3_DIR);

    private final Path workDir;
    private final boolean ownsWorkDir;
    private final RedisNode redis;
    private final PostgresNode postgres;
    private final MqttNode mqtt;
    private final S3Node s3;
    private final AtomicBoolean closed = new AtomicBoolean();

    private LocalStack(Path workDir, boolean ownsWorkDir, LocalStackSettings settings) throws IOException {
        this.workDir = workDir;
        this.ownsWorkDir = ownsWorkDir;
        // unpacking PostgreSQL takes seconds: the binaries stay in the cache directory, keyed by their digest
        Path cacheDir =
                settings.cacheDir() != null ? settings.cacheDir() : Path.of(System.getProperty("java.io.tmpdir"));
        Path binaries = cacheDir.resolve("embedded-pg");
        Set<Integer> ports = new HashSet<>();
        this.redis = new RedisNode(workDir.resolve(REDIS_DIR), Ports.resolve(settings.redisPort(), ports));
        this.postgres = new PostgresNode(
                workDir.resolve(POSTGRES_DIR), binaries, Ports.resolve(settings.postgresPort(), ports));
        this.mqtt = new MqttNode(workDir.resolve(MQTT_DIR), Ports.resolve(settings.mqttPort(), ports));
        if (settings.mqttAuthUrl() != null) {
            // before the broker starts: no client gets in anonymously meanwhile
            mqtt.authenticator().use(new MqttAuthenticator.Endpoint(settings.mqttAuthUrl(), settings.mqttAuthApiKey()));
        }
        this.s3 = new S3Node(workDir.resolve(S3_DIR), Ports.resolve(settings.s3Port(), ports));
    }

    /**
     * Starts all four servers, creates the bucket and the database, and returns once each accepts connections.
     * On failure whatever did start is stopped again before the exception propagates.
     */
    public static LocalStack start(LocalStackSettings settings) {
        long started = System.nanoTime();
        boolean ownsWorkDir = settings.workDir() == null;
        Path workDir = ownsWorkDir ? Directories.createTemp("ls-") : Directories.create(settings.workDir());
        LocalStack stack;
        try {
            if (!ownsWorkDir) {
                // left behind by a run that was killed: initdb refuses a non-empty data directory
                deleteServerDirectories(workDir);
            }
            stack = new LocalStack(workDir, ownsWorkDir, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + workDir, e);
        } catch (RuntimeException e) {
            deleteQuietly(workDir, ownsWorkDir);
            throw e;
        }
        try {
            stack.startAll();
        } catch (RuntimeException e) {
            stack.close();
            throw e;
        }
        log.info(
                "local stack ready in {} s (Redis {}, PostgreSQL {}, MQTT {}, S3 {}; files in {})",
                seconds(started),
                stack.redisPort(),
                stack.postgresPort(),
                stack.mqttPort(),
                stack.s3.port(),
                workDir);
        return stack;
    }

    private void startAll() {
        // PostgreSQL (initdb) and HiveMQ take seconds each: start them beside the quick ones, not after them
        CompletableFuture<Void> postgresReady =
                inBackground("postgres-start", () -> step("PostgreSQL", postgres.port(), postgres::start));
        CompletableFuture<Void> mqttReady =
                inBackground("mqtt-start", () -> step("MQTT broker", mqtt.port(), mqtt::start));
        RuntimeException failure = null;
        try {
            step("Redis", redis.port(), redis::start);
            step("S3", s3.port(), s3::start);
        } catch (RuntimeException e) {
            failure = e;
        }
        // wait for both even after a failure: close() must not race a server that is still coming up
        failure = awaitAll(failure, postgresReady, mqttReady);
        if (failure != null) {
            throw failure;
        }
    }

    private static CompletableFuture<Void> inBackground(String name, Runnable task) {
        return CompletableFuture.runAsync(task, runnable -> {
            Thread thread = new Thread(runnable, "local-stack-" + name);
            thread.setDaemon(true);
            thread.start();
        });
    }

    private static RuntimeException awaitAll(RuntimeException failure, CompletableFuture<?>... tasks) {
        for (CompletableFuture<?> task : tasks) {
            try {
                task.join();
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException runtime
                        ? runtime
                        : new IllegalStateException(e.getCause());
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        return failure;
    }

    private static void step(String name, int port, Action action) {
        long started = System.nanoTime();
        log.info("starting {} on {}…", name, port);
        try {
            action.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not start " + name + " on port " + port + ": " + e.getMessage(), e);
        }
        log.info("{} ready in {} s", name, seconds(started));
    }

    public String redisUri() {
        return "redis://" + Ports.LOOPBACK + ":" + redis.port();
    }

    public int redisPort() {
        return redis.port();
    }

    public String postgresHost() {
        return Ports.LOOPBACK;
    }

    public int postgresPort() {
        return postgres.port();
    }

    public String postgresDatabase() {
        return PostgresNode.DATABASE;
    }

    public String postgresUsername() {
        return PostgresNode.USERNAME;
    }

    public String postgresPassword() {
        return PostgresNode.PASSWORD;
    }

    public String postgresJdbcUrl() {
        return "jdbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/" + postgresDatabase();
    }

    public String postgresR2dbcUrl() {
        return "r2dbc:postgresql://" + postgresHost() + ":" + postgresPort() + "/" + postgresDatabase();
    }

    public String mqttHost() {
        return Ports.LOOPBACK;
    }

    public int mqttPort() {
        return mqtt.port();
    }

    public String s3Endpoint() {
        return s3.endpoint();
    }

    public String s3Region() {
        return S3Node.REGION;
    }

    public String s3AccessKey() {
        return S3Node.ACCESS_KEY;
    }

    public String s3SecretKey() {
        return S3Node.SECRET_KEY;
    }

    public String s3Bucket() {
        return S3Node.BUCKET;
    }

    /** The directory holding the servers' files (and {@code local-stack.env} of a local run). */
    public Path workDir() {
        return workDir;
    }

    /**
     * The services' connection variables, pointing at this stack. Only the infrastructure variables: secrets and
     * service URLs have their development defaults in the services themselves.
     */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("REDIS_URL", redisUri());
        env.put("POSTGRES_HOST", postgresHost());
        env.put("POSTGRES_PORT", Integer.toString(postgresPort()));
        env.put("POSTGRES_DB", postgresDatabase());
        env.put("POSTGRES_USER", postgresUsername());
        env.put("POSTGRES_PASSWORD", postgresPassword());
        env.put("MQTT_HOST", mqttHost());
        env.put("MQTT_PORT", Integer.toString(mqttPort()));
        env.put("S3_ENDPOINT", s3Endpoint());
        env.put("S3_REGION", s3Region());
        env.put("S3_BUCKET", s3Bucket());
        env.put("S3_ACCESS_KEY", s3AccessKey());
        env.put("S3_SECRET_KEY", s3SecretKey());
        env.put("S3_PATH_STYLE", "true");
        return Collections.unmodifiableMap(env);
    }

    /**
     * Stops Redis gracefully; {@link #startRedis()} brings it back on the same port with its data (append-only file),
     * as a production Redis would come back. To simulate a Redis that lost its data, delete keys before stopping.
     */
    public void stopRedis() {
        step("stopping Redis", () -> redis.stop());
    }

    public void startRedis() {
        step("Redis", redis.port(), redis::start);
    }

    /** Stops the S3 endpoint; stored objects survive until {@link #startS3()} brings it back on the same port. */
    public void stopS3() {
        step("stopping S3", () -> s3.stop());
    }

    public void startS3() {
        step("S3", s3.port(), s3::start);
    }

    /**
     * From the next CONNECT on, MQTT clients need a username and password, and an HTTP endpoint in the shape of EMQX
     * 5.8's HTTP authentication decides: {@code POST authUrl} with {@code X-Api-Key: apiKey} and {@code {"clientid",
     * "username", "password", "peerhost", "proto_ver"}}; a 200 answer {@code {"result": "allow", "is_superuser",
     * "acl": […]}} lets the client in with the {@code acl} rules as its only rights (or every right as superuser).
     * {@code deny}, {@code ignore}, another status, no answer within 5 s or an acl this broker cannot enforce refuse
     * it; a client without credentials is refused without asking. Clients already connected keep their session.
     * Kept across {@link #stopMqtt()}/{@link #startMqtt()}; a test that calls this calls {@link #allowAnonymousMqtt()}
     * when done, since every test class of the JVM shares the stack.
     */
    public void requireMqttAuthentication(URI authUrl, String apiKey) {
        mqtt.authenticator().use(new MqttAuthenticator.Endpoint(authUrl, apiKey));
        log.info("MQTT clients now authenticated by {}", authUrl);
    }

    /** Back to the default: any client connects without credentials and may publish and subscribe anything. */
    public void allowAnonymousMqtt() {
        mqtt.authenticator().use(null);
        log.info("MQTT clients connect anonymously again");
    }

    /** The endpoint deciding MQTT CONNECTs, if {@link #requireMqttAuthentication} is in force. */
    public Optional<URI> mqttAuthUrl() {
        return mqtt.authenticator().endpoint().map(MqttAuthenticator.Endpoint::url);
    }

    /**
     * Stops the MQTT broker: connected clients lose their connection, and sessions and retained messages are gone
     * (in-memory persistence, as in every run of the stack). {@link #startMqtt()} brings it back on the same port
     * with the same authentication setting.
     */
    public void stopMqtt() {
        step("stopping MQTT broker", () -> mqtt.stop());
    }

    public void startMqtt() {
        step("MQTT broker", mqtt.port(), mqtt::start);
    }

    /** Stops every server (PostgreSQL's process included) and removes the private directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long started = System.nanoTime();
        List<Exception> failures = Collections.synchronizedList(new ArrayList<>());
        // HiveMQ needs about 4 s to stop: meanwhile the others stop beside it
        CompletableFuture<Void> mqttStopped = inBackground("mqtt-stop", () -> run(failures, mqtt::stop));
        run(failures, s3::close);
        run(failures, redis::stop);
        run(failures, postgres::stop);
        mqttStopped.join();
        if (ownsWorkDir) {
            run(failures, () -> Directories.deleteRecursively(workDir));
        } else {
            // a given directory stays, but not what the servers kept in it
            run(failures, () -> deleteServerDirectories(workDir));
        }
        log.info("local stack stopped in {} s", seconds(started));
        if (!failures.isEmpty()) {
            IllegalStateException failure = new IllegalStateException("local stack did not stop cleanly");
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
    }

    boolean isClosed() {
        return closed.get();
    }

    private static void step(String what, Action action) {
        try {
            action.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(what + " failed: " + e.getMessage(), e);
        }
    }

    private static void run(List<Exception> failures, Action action) {
        try {
            action.run();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            failures.add(e);
        }
    }

    private static void deleteServerDirectories(Path workDir) throws IOException {
        for (String server : SERVER_DIRECTORIES) {
            Directories.deleteRecursively(workDir.resolve(server));
        }
    }

    private static void deleteQuietly(Path dir, boolean owned) {
        if (!owned) {
            return;
        }
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String seconds(long startedNanos) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startedNanos);
        return String.format(Locale.ROOT, "%.1f", elapsed.toMillis() / 1000.0);
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }
}
