package dev.projectdashboard.bench.gateway;

import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.bench.ManagedProcess;
import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.ServiceProcess;
import dev.projectdashboard.bench.deploynotifier.CpuUsage;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run gateway} (issue 14): a 1 KB GET through the gateway, next to the same GET sent directly to the
 * upstream and through Debian's nginx proxying the same upstream, in the same run: each target's maximum rate
 * (closed loop, wrk), then the latency each adds at one constant rate (open loop) — half of nginx's maximum; and the
 * WebSocket fan-out of realtime-service through the gateway next to the same clients connected directly. Writes the
 * {@code gateway} section of bench/REPORT.md.
 */
public final class GatewayBenchmark {

    public static final String NAME = "gateway";
    static final String GATEWAY_JAR = "gateway/target/gateway-0.1.0-SNAPSHOT.jar";
    static final String REALTIME_JAR = "realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar";

    static final String DIRECT = "direct";
    static final String NGINX = "nginx";
    static final String GATEWAY = "gateway";
    static final List<String> TARGETS = List.of(DIRECT, NGINX, GATEWAY);

    /** The public path through nginx and the gateway; the upstream sees {@link UpstreamStub#PATH}. */
    static final String PUBLIC_PATH = "/project-dashboard" + UpstreamStub.PATH;

    static final double GOAL_RATIO = 0.75;
    static final double GOAL_ADDED_P99_MS = 2.0;

    private static final String STUB = "upstream stub";
    private static final String REALTIME = "realtime-service";
    private static final String WRK = "wrk";
    private static final String USER = "bench-gateway";
    /** What the shipped rate limits would refuse: the bench sends thousands of requests per second as one user. */
    static final Map<String, String> RATE_LIMITS_RAISED = limits();

    /** As in the realtime benchmark: no N² join/leave frames while N clients subscribe to one project channel. */
    static final String NO_PROJECT_JOIN_LEAVE = "--dashboard.realtime.hub.join-leave-namespaces=deployment";

    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");
    private static final String SHUTDOWN = "Commencing graceful shutdown";

    public static final String USAGE =
            """
            usage: bench/run gateway [--quick] [--runs 3] [--warm-up-seconds 60] [--max-seconds 10]
                                     [--paced-seconds 20] [--load-fraction 0.5] [--connections 64]
                                     [--paced-connections 64] [--wrk-threads 1] [--nginx-workers N]
                                     [--ws-clients 500] [--ws-rates 20,120,240,480] [--ws-seconds 8]
                                     [--gateway-jvm "-Xmx512m"] [--realtime-jvm "-Xmx512m"] [--stub-jvm "-Xmx256m"]
                                     [--gateway-jar gateway/target/gateway-0.1.0-SNAPSHOT.jar]
                                     [--realtime-jar realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar]
                                     [--report bench/REPORT.md]
              --quick:          a short proof that everything works (10 s warm-up, 1 run of 4 s / 5 s steps,
                                100 WebSocket clients at 20 events/s), report to bench/target/gateway/REPORT.md
              --max-seconds:    closed-loop wrk run per target and run (the maximum rate; at least 3)
              --paced-seconds:  open-loop step per target at load-fraction × nginx's maximum of the same run
              --connections:    wrk's connections; --paced-connections: the open-loop pool
              --nginx-workers:  nginx's worker_processes (default: this machine's processors)
              --ws-clients:     native WebSocket clients per target (0: no WebSocket part); --ws-rates: events/s to
                                their project channel (deliveries/s = rate × clients), --ws-seconds each
            """;

    record Settings(
            boolean quick,
            int runs,
            double warmUpSeconds,
            int maxSeconds,
            double pacedSeconds,
            double loadFraction,
            int connections,
            int pacedConnections,
            int wrkThreads,
            int nginxWorkers,
            int wsClients,
            List<Double> wsRates,
            double wsSeconds,
            List<String> gatewayJvm,
            List<String> realtimeJvm,
            List<String> stubJvm,
            Path gatewayJar,
            Path realtimeJar,
            Path report,
            Path workDir,
            String commandLine) {

        /** A rough duration of the whole run in seconds, for the progress line and the report. */
        double estimatedSeconds() {
            double startUp = 45;
            double warmUp = warmUpSeconds + 2 * Math.max(3, warmUpSeconds / 6);
            // each run: wrk per target, then the paced steps (twice as many when the gateway needs its own rate)
            double perRun = TARGETS.size() * (maxSeconds + 2) + TARGETS.size() * (pacedSeconds + 3) * 1.5;
            double ws = wsClients == 0 ? 0 : 20 + 2 * 6 + runs * wsRates.size() * 2 * (wsSeconds + 4);
            return startUp + warmUp + runs * perRun + ws;
        }
    }

    /** One wrk run: the target's maximum rate. CPU cores are averaged over the middle of the run. */
    record MaxStep(int run, String target, Wrk.Result wrk, Map<String, Double> cores, long redisCommands) {

        /** CPU ms one request cost a group of processes. */
        double cpuMsPerRequest(String group) {
            return perRequestMs(cores, group, wrk.requestsPerSecond());
        }

        double redisCommandsPerRequest() {
            return wrk.requests() > 0 ? (double) redisCommands / wrk.requests() : 0;
        }
    }

    /** One open-loop step at a shared rate. */
    record PacedStep(int run, String target, String rateName, PacedHttpLoad.Result result, Map<String, Double> cores) {

        double cpuMsPerRequest(String group) {
            return perRequestMs(cores, group, result.okPerSecond());
        }
    }

    /** One WebSocket fan-out step. */
    record WsStep(
            int run,
            String target,
            double rate,
            int clients,
            long events,
            long failed,
            long expected,
            long received,
            double seconds,
            double p50Ms,
            double p99Ms,
            double maxMs,
            Map<String, Double> cores) {

        double deliveriesPerSecond() {
            return seconds > 0 ? received / seconds : 0;
        }

        boolean lossless() {
            return failed == 0 && received >= expected;
        }

        double cpuMsPer1000(String group) {
            return perRequestMs(cores, group, deliveriesPerSecond()) * 1000;
        }
    }

    /** The two shared rates of a run's paced steps. */
    static final String HALF_NGINX = "half of nginx's maximum";

    static final String HALF_GATEWAY = "half of the gateway's maximum";

    private final Settings settings;
    private final List<MaxStep> maxSteps = new ArrayList<>();
    private final List<PacedStep> pacedSteps = new ArrayList<>();
    private final List<WsStep> wsSteps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> versions = new LinkedHashMap<>();
    private CpuUsage cpu;
    private List<String> cpuGroups = List.of();
    private String loadBefore = "";
    private String loadAfter = "";
    private String token = "";

    GatewayBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "gateway". Returns the exit status. */
    public static int main(String[] args) {
        return CommandLine.run(args, USAGE, GatewayBenchmark::parse, settings -> new GatewayBenchmark(settings).run());
    }

    static Settings parse(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        String[] rest =
                Arrays.stream(args).filter(arg -> !arg.equals("--quick")).toArray(String[]::new);
        int runs = quick ? 1 : 3;
        double warmUp = quick ? 10 : 60;
        int maxSeconds = quick ? 4 : 10;
        double pacedSeconds = quick ? 5 : 20;
        double fraction = 0.5;
        int connections = 64;
        int pacedConnections = 64;
        int wrkThreads = 1;
        int nginxWorkers = Runtime.getRuntime().availableProcessors();
        int wsClients = quick ? 100 : 500;
        List<Double> wsRates = quick ? List.of(20.0) : List.of(20.0, 120.0, 240.0, 480.0);
        double wsSeconds = quick ? 4 : 8;
        List<String> gatewayJvm = List.of("-Xmx512m");
        List<String> realtimeJvm = List.of("-Xmx512m");
        List<String> stubJvm = List.of("-Xmx256m");
        Path gatewayJar = Path.of(GATEWAY_JAR);
        Path realtimeJar = Path.of(REALTIME_JAR);
        Path workDir = Path.of("bench/target/gateway");
        // a quick look must not replace the full run's section
        Path report = quick ? workDir.resolve("REPORT.md") : Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(rest)) {
            String value = option.value();
            switch (option.name()) {
                case "--runs" -> runs = Integer.parseInt(value);
                case "--warm-up-seconds" -> warmUp = Double.parseDouble(value);
                case "--max-seconds" -> maxSeconds = Integer.parseInt(value);
                case "--paced-seconds" -> pacedSeconds = Double.parseDouble(value);
                case "--load-fraction" -> fraction = Double.parseDouble(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--paced-connections" -> pacedConnections = Integer.parseInt(value);
                case "--wrk-threads" -> wrkThreads = Integer.parseInt(value);
                case "--nginx-workers" -> nginxWorkers = Integer.parseInt(value);
                case "--ws-clients" -> wsClients = Integer.parseInt(value);
                case "--ws-rates" -> wsRates = CommandLine.doubles(value);
                case "--ws-seconds" -> wsSeconds = Double.parseDouble(value);
                case "--gateway-jvm" -> gatewayJvm = CommandLine.words(value);
                case "--realtime-jvm" -> realtimeJvm = CommandLine.words(value);
                case "--stub-jvm" -> stubJvm = CommandLine.words(value);
                case "--gateway-jar" -> gatewayJar = Path.of(value);
                case "--realtime-jar" -> realtimeJar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        if (runs < 1
                || warmUp < 0
                || pacedSeconds <= 0
                || connections < 1
                || pacedConnections < 1
                || wrkThreads < 1
                || nginxWorkers < 1
                || wsClients < 0
                || wsSeconds <= 0) {
            throw new IllegalArgumentException("runs, durations, connections, threads and workers must be positive");
        }
        if (maxSeconds < 3) {
            throw new IllegalArgumentException("--max-seconds must be at least 3 (CPU is read over its middle)");
        }
        if (fraction <= 0 || fraction > 1) {
            throw new IllegalArgumentException("--load-fraction must be in (0, 1]");
        }
        if (wrkThreads > connections) {
            throw new IllegalArgumentException("wrk needs at least one connection per thread");
        }
        if (wsClients > 0 && (wsRates.isEmpty() || wsRates.stream().anyMatch(rate -> rate <= 0))) {
            throw new IllegalArgumentException("--ws-rates must be positive events/s");
        }
        return new Settings(
                quick,
                runs,
                warmUp,
                maxSeconds,
                pacedSeconds,
                fraction,
                connections,
                pacedConnections,
                wrkThreads,
                nginxWorkers,
                wsClients,
                wsRates.stream().sorted().toList(),
                wsSeconds,
                gatewayJvm,
                realtimeJvm,
                stubJvm,
                gatewayJar,
                realtimeJar,
                report,
                workDir,
                CommandLine.typed(args));
    }

    private static Map<String, String> limits() {
        Map<String, String> env = new LinkedHashMap<>();
        for (String kind : List.of("USER", "ANONYMOUS")) {
            env.put("GATEWAY_RATE_LIMIT_" + kind + "_RATE", "1000000");
            env.put("GATEWAY_RATE_LIMIT_" + kind + "_BURST", "1000000");
        }
        return env;
    }

    // ---------------------------------------------------------------- the run

    boolean run() throws Exception {
        Instant started = Instant.now();
        loadBefore = Report.loadAverage();
        Files.createDirectories(settings.workDir());
        NginxProcess.requireBinary();
        versions.put("nginx", NginxProcess.version() + " (Debian)");
        versions.put("wrk", Wrk.version() + " (Debian)");
        log(String.format(
                Locale.ROOT,
                "this takes about %.0f min (%s)",
                settings.estimatedSeconds() / 60,
                settings.quick() ? "quick" : settings.runs() + " runs"));
        token = DevTokens.userToken(USER, List.of("user"), List.of("*"), List.of());
        log("starting the local stack (Redis for the gateway's rate limits and realtime-service) in this JVM");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.randomPorts())) {
            cpu = new CpuUsage(stack.workDir());
            measure(stack);
        } catch (Exception e) {
            problem("the benchmark stopped", e);
        }
        loadAfter = Report.loadAverage();
        logFindings("gateway", settings.workDir().resolve("gateway.log"));
        logFindings(REALTIME, settings.workDir().resolve("realtime-service.log"));
        String section = report(started);
        Report.writeSection(settings.report(), NAME, section);
        log("report written to " + settings.report());
        System.out.println(section);
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return problems.isEmpty();
    }

    private void measure(LocalStack stack) throws Exception {
        int stubPort = ServiceProcess.freePort();
        int nginxPort = ServiceProcess.freePort();
        int gatewayPort = ServiceProcess.freePort();
        int realtimePort = ServiceProcess.freePort();
        Path stubLog = settings.workDir().resolve("stub.log");
        log("starting the upstream stub: java " + String.join(" ", settings.stubJvm()) + " … UpstreamStub on port "
                + stubPort);
        try (ManagedProcess stub = UpstreamStub.start(settings.stubJvm(), stubPort, stubLog)) {
            cpu.watch(STUB, stub.pid());
            NginxConfig nginxConfig = new NginxConfig(
                    settings.workDir().resolve("nginx"),
                    nginxPort,
                    stubPort,
                    settings.nginxWorkers(),
                    settings.connections());
            log("starting nginx on port " + nginxPort + " (" + settings.nginxWorkers() + " workers, config "
                    + nginxConfig.confFile() + ")");
            try (NginxProcess nginx = NginxProcess.start(nginxConfig);
                    ServiceProcess realtime = settings.wsClients() > 0 ? startRealtime(stack, realtimePort) : null;
                    ServiceProcess gateway = startGateway(stack, gatewayPort, stubPort, realtimePort)) {
                awaitAnswer(nginx.process(), uri(nginxPort, PUBLIC_PATH));
                cpu.watch(NGINX, nginx.pid());
                List<Long> workers = nginx.workerPids();
                for (int i = 0; i < workers.size(); i++) {
                    cpu.watch(NGINX + " worker " + (i + 1), workers.get(i));
                }
                cpu.watch(GATEWAY, gateway.pid());
                Map<String, URI> targets = new LinkedHashMap<>();
                targets.put(DIRECT, uri(stubPort, UpstreamStub.PATH));
                targets.put(NGINX, uri(nginxPort, PUBLIC_PATH));
                targets.put(GATEWAY, uri(gatewayPort, PUBLIC_PATH));
                probe(targets, gateway);
                try (RedisCounter redis = new RedisCounter(stack.redisUri())) {
                    http(targets, redis, gateway, nginx);
                } catch (Exception e) {
                    problem("the HTTP part did not complete", e);
                }
                if (!gateway.isAlive()) {
                    throw new IllegalStateException("the gateway exited; log tail:\n" + gateway.logTail());
                }
                if (settings.wsClients() > 0) {
                    try {
                        webSockets(stack, realtime, gatewayPort);
                    } catch (Exception e) {
                        problem("the WebSocket part did not complete", e);
                    }
                }
                String nginxErrors = nginx.errorLogTail();
                if (!nginxErrors.isBlank()) {
                    notes.add("nginx's error log (" + nginxConfig.errorLog() + ") ends with:\n\n```\n" + nginxErrors
                            + "\n```");
                }
            }
        }
    }

    private ServiceProcess startGateway(LocalStack stack, int port, int stubPort, int realtimePort)
            throws IOException, InterruptedException {
        Map<String, String> environment = new LinkedHashMap<>(stack.environment());
        environment.put(DevDefaults.JWT_SECRET_ENV, DevDefaults.JWT_SECRET);
        environment.put("DEPLOY_NOTIFIER_URL", "http://127.0.0.1:" + stubPort);
        environment.put("REALTIME_SERVICE_URL", "http://127.0.0.1:" + realtimePort);
        environment.putAll(RATE_LIMITS_RAISED);
        Path log = settings.workDir().resolve("gateway.log");
        log("starting the gateway: java " + String.join(" ", settings.gatewayJvm()) + " -jar " + settings.gatewayJar()
                + " on port " + port + " (log " + log + ")");
        ServiceProcess gateway = ServiceProcess.start(
                GATEWAY, settings.gatewayJar(), settings.gatewayJvm(), List.of(), environment, port, log);
        try {
            gateway.awaitReady(Duration.ofSeconds(120));
        } catch (IOException | InterruptedException | RuntimeException e) {
            gateway.close();
            throw e;
        }
        log("gateway ready (pid " + gateway.pid() + ")");
        return gateway;
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + token);
    }

    private void awaitAnswer(ManagedProcess process, URI uri) throws IOException, InterruptedException {
        process.awaitReady(
                HttpClient.newHttpClient(),
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                response -> response.statusCode() == 200,
                Duration.ofSeconds(30));
    }

    /** One request per target before measuring: a wrong route, token or config shows here, not as errors. */
    private void probe(Map<String, URI> targets, ServiceProcess gateway) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newHttpClient();
        for (Map.Entry<String, URI> target : targets.entrySet()) {
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(target.getValue()).timeout(Duration.ofSeconds(10));
            headers().forEach(request::header);
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (!UpstreamStub.isStubAnswer(response)) {
                throw new IllegalStateException(target.getKey() + " (" + target.getValue() + ") did not give the"
                        + " stub's 1 KB answer: " + response.statusCode() + " "
                        + Report.abbreviate(new String(response.body(), StandardCharsets.UTF_8), 300)
                        + (target.getKey().equals(GATEWAY) ? "; gateway log tail:\n" + gateway.logTail() : ""));
            }
            log(target.getKey() + " answers " + target.getValue() + " with the stub's 1 KB body");
        }
    }

    // ---------------------------------------------------------------- 1 and 2: HTTP

    private void http(Map<String, URI> targets, RedisCounter redis, ServiceProcess gateway, NginxProcess nginx)
            throws Exception {
        warmUpGateway(targets.get(GATEWAY));
        for (String target : List.of(DIRECT, NGINX)) {
            int seconds = (int) Math.ceil(Math.max(3, settings.warmUpSeconds() / 6));
            log("warm-up of " + target + ": wrk for " + seconds + " s (discarded)");
            Wrk.Result warm = wrk(targets.get(target), seconds, pid -> {});
            String line = String.format(
                    Locale.ROOT,
                    "warm-up of %s (%d s, wrk, discarded): %,.0f requests/s, errors %s",
                    target,
                    seconds,
                    warm.requestsPerSecond(),
                    warm.errorSummary());
            log(line);
            notes.add(line + ".");
        }
        try (PacedHttpLoad load = new PacedHttpLoad()) {
            for (int run = 1; run <= settings.runs(); run++) {
                List<String> order = rotated(TARGETS, run - 1);
                log("run " + run + " of " + settings.runs() + ", order " + String.join(", ", order));
                Map<String, MaxStep> maxima = new LinkedHashMap<>();
                for (String target : order) {
                    MaxStep step = maxStep(run, target, targets.get(target), redis);
                    maxSteps.add(step);
                    maxima.put(target, step);
                    requireAlive(gateway, nginx);
                }
                if (run == 1 && maxima.get(GATEWAY).redisCommandsPerRequest() < 0.5) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "The gateway asked Redis nothing per request (%.2f commands per request in run 1): this"
                                    + " build has no Redis rate limiter on the route, or it is off, so the"
                                    + " comparison leaves that cost out.",
                            maxima.get(GATEWAY).redisCommandsPerRequest()));
                }
                double nginxMax = maxima.get(NGINX).wrk().requestsPerSecond();
                double gatewayMax = maxima.get(GATEWAY).wrk().requestsPerSecond();
                double rate = settings.loadFraction() * nginxMax;
                for (String target : order) {
                    pacedSteps.add(pacedStep(load, run, target, targets.get(target), HALF_NGINX, rate));
                    requireAlive(gateway, nginx);
                }
                double gatewayRate = settings.loadFraction() * gatewayMax;
                if (gatewayRate < 0.9 * rate) {
                    // at nginx's half the gateway is past its own maximum, where latency is only queueing: the
                    // latency it adds is measured once more at a load it can carry
                    log(String.format(
                            Locale.ROOT,
                            "the gateway's maximum (%,.0f/s) is below nginx's half: once more at %,.0f/s",
                            gatewayMax,
                            gatewayRate));
                    for (String target : order) {
                        pacedSteps.add(pacedStep(load, run, target, targets.get(target), HALF_GATEWAY, gatewayRate));
                        requireAlive(gateway, nginx);
                    }
                }
            }
        }
    }

    /**
     * A fresh JVM spends its first minute or more compiling, and on 2 cores C2 takes CPU from the requests: wrk through
     * the gateway (which warms the stub too) in slices until --warm-up-seconds have passed and a slice's rate is no
     * longer more than 5 % above the one before, or three times --warm-up-seconds have passed.
     */
    private void warmUpGateway(URI gateway) throws IOException, InterruptedException {
        if (settings.warmUpSeconds() <= 0) {
            return;
        }
        int slice = settings.quick() ? 5 : 10;
        double limit = 3 * settings.warmUpSeconds();
        log("JIT warm-up of the gateway: wrk in " + slice + " s slices for at least "
                + Report.number(settings.warmUpSeconds()) + " s, until the rate stops climbing (discarded)");
        List<Double> rates = new ArrayList<>();
        int elapsed = 0;
        while (true) {
            Wrk.Result warm = wrk(gateway, slice, pid -> {});
            elapsed += slice;
            rates.add(warm.requestsPerSecond());
            log(String.format(
                    Locale.ROOT,
                    "warm-up, %d s: %,.0f requests/s, errors %s",
                    elapsed,
                    warm.requestsPerSecond(),
                    warm.errorSummary()));
            boolean settled = settled(rates);
            if (elapsed >= settings.warmUpSeconds() && (settled || elapsed >= limit)) {
                notes.add(String.format(
                        Locale.ROOT,
                        "JIT warm-up of the gateway (wrk, discarded), requests/s per %d s slice: %s%s.",
                        slice,
                        String.join(
                                ", ",
                                rates.stream()
                                        .map(rate -> String.format(Locale.ROOT, "%,.0f", rate))
                                        .toList()),
                        settled ? "" : " — still climbing when the warm-up's limit was reached"));
                return;
            }
        }
    }

    /** Whether the last two warm-up slices are both within 5 % of the best slice before them: no longer climbing. */
    static boolean settled(List<Double> rates) {
        int n = rates.size();
        if (n < 3) {
            return false;
        }
        double best = rates.subList(0, n - 2).stream()
                .mapToDouble(Double::doubleValue)
                .max()
                .orElse(0);
        return rates.get(n - 1) <= best * 1.05 && rates.get(n - 2) <= best * 1.05;
    }

    private static void requireAlive(ServiceProcess gateway, NginxProcess nginx) {
        if (!gateway.isAlive()) {
            throw new IllegalStateException("the gateway exited; log tail:\n" + gateway.logTail());
        }
        if (!nginx.process().isAlive()) {
            throw new IllegalStateException("nginx exited; error log:\n" + nginx.errorLogTail());
        }
    }

    static <T> List<T> rotated(List<T> list, int by) {
        List<T> out = new ArrayList<>(list);
        Collections.rotate(out, -(by % list.size()));
        return out;
    }

    private Wrk.Result wrk(URI target, int seconds, LongConsumer started) throws IOException, InterruptedException {
        return Wrk.run(
                target, headers(), settings.wrkThreads(), settings.connections(), seconds, settings.workDir(), started);
    }

    /** wrk for --max-seconds; CPU over its middle (from 1 s in to 1 s before its end), Redis over all of it. */
    private MaxStep maxStep(int run, String target, URI uri, RedisCounter redis) throws Exception {
        pause();
        long redisBefore = redis.commands();
        long startedAt = System.nanoTime();
        CompletableFuture<CpuUsage.Snapshot[]> window = new CompletableFuture<>();
        Wrk.Result result = wrk(uri, settings.maxSeconds(), pid -> {
            cpu.watch(WRK, pid);
            // read from a helper thread while wrk runs: once it exits its CPU time is gone from /proc
            Thread reader = new Thread(() -> {
                try {
                    sleepUntil(startedAt + seconds(1));
                    CpuUsage.Snapshot from = cpu.snapshot();
                    sleepUntil(startedAt + seconds(settings.maxSeconds() - 1));
                    window.complete(new CpuUsage.Snapshot[] {from, cpu.snapshot()});
                } catch (RuntimeException e) {
                    window.completeExceptionally(e);
                }
            });
            reader.setDaemon(true);
            reader.start();
        });
        long redisCommands = redis.commands() - redisBefore - 1; // the INFO that read it
        CpuUsage.Snapshot[] snapshots = window.get();
        cpuGroups = cpu.groups();
        MaxStep step = new MaxStep(
                run, target, result, merged(CpuUsage.cores(snapshots[0], snapshots[1], cpuGroups)), redisCommands);
        log(String.format(
                Locale.ROOT,
                "max, %s: %,.0f requests/s (wrk, %d connections), p50 %.2f ms, p99 %.2f ms, errors %s, %.0f bytes"
                        + " per answer; CPU per request: %s",
                target,
                result.requestsPerSecond(),
                settings.connections(),
                result.p50Ms(),
                result.p99Ms(),
                result.errorSummary(),
                result.bytesPerRequest(),
                cpuLine(step.cores(), result.requestsPerSecond())));
        return step;
    }

    private PacedStep pacedStep(PacedHttpLoad load, int run, String target, URI uri, String rateName, double rate)
            throws Exception {
        pause();
        Duration duration = Duration.ofMillis((long) (settings.pacedSeconds() * 1000));
        long startedAt = System.nanoTime();
        CompletableFuture<PacedHttpLoad.Result> running = CompletableFuture.supplyAsync(() -> {
            try {
                return load.run(
                        uri,
                        headers(),
                        UpstreamStub.BODY_BYTES,
                        settings.pacedConnections(),
                        rate,
                        duration,
                        Duration.ofSeconds(10));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        // the middle of the step: from 1 s in to 0.5 s before its last request is due
        sleepUntil(startedAt + seconds(Math.min(1, settings.pacedSeconds() / 4)));
        CpuUsage.Snapshot from = cpu.snapshot();
        sleepUntil(startedAt + seconds(Math.max(settings.pacedSeconds() - 0.5, settings.pacedSeconds() * 3 / 4)));
        CpuUsage.Snapshot to = cpu.snapshot();
        PacedHttpLoad.Result result = running.get();
        cpuGroups = cpu.groups();
        PacedStep step = new PacedStep(run, target, rateName, result, merged(CpuUsage.cores(from, to, cpuGroups)));
        if (result.sendLagP99Ms() > 1) {
            notes.add(String.format(
                    Locale.ROOT,
                    "run %d, %s at %,.0f/s: the load generator itself sent late (p99 %.2f ms after the intended time,"
                            + " with a connection free): that step's latencies include its delay.",
                    run,
                    target,
                    rate,
                    result.sendLagP99Ms()));
        }
        log(String.format(
                Locale.ROOT,
                "paced, %s at %,.0f/s (%s): %,d of %,d right, errors %s, p50 %.2f ms, p99 %.2f ms, max %.1f ms,"
                        + " generator late by p99 %.2f ms, %,d waited for a connection, %d connections used; CPU per"
                        + " request: %s",
                target,
                rate,
                rateName,
                result.ok(),
                result.requests(),
                result.errorSummary(),
                result.p50Ms(),
                result.p99Ms(),
                result.maxMs(),
                result.sendLagP99Ms(),
                result.waitedForConnection(),
                result.connectionsUsed(),
                cpuLine(step.cores(), result.okPerSecond())));
        return step;
    }

    // ---------------------------------------------------------------- 3: WebSocket fan-out

    /**
     * Started with the others, before the HTTP part, although only the WebSocket part uses it: a port picked now and
     * bound minutes later was taken in between by one of the load's outgoing connections (same ephemeral range). It
     * idles meanwhile (blocking stream reads).
     */
    private ServiceProcess startRealtime(LocalStack stack, int port) throws IOException {
        Map<String, String> environment = new LinkedHashMap<>(stack.environment());
        environment.put(DevDefaults.JWT_SECRET_ENV, DevDefaults.JWT_SECRET);
        Path log = settings.workDir().resolve("realtime-service.log");
        log("starting realtime-service: java " + String.join(" ", settings.realtimeJvm()) + " -jar "
                + settings.realtimeJar() + " " + NO_PROJECT_JOIN_LEAVE + " on port " + port + " (log " + log + ")");
        return ServiceProcess.start(
                REALTIME,
                settings.realtimeJar(),
                settings.realtimeJvm(),
                List.of(NO_PROJECT_JOIN_LEAVE),
                environment,
                port,
                log);
    }

    private void webSockets(LocalStack stack, ServiceProcess realtime, int gatewayPort) throws Exception {
        int realtimePort = realtime.port();
        try (EventPacer pacer = new EventPacer(stack.redisUri(), 100);
                FanOutClients direct = new FanOutClients("ws-direct", 2);
                FanOutClients viaGateway = new FanOutClients("ws-gateway", 2)) {
            realtime.awaitReady(Duration.ofSeconds(120));
            log("realtime-service ready (pid " + realtime.pid() + ")");
            cpu.watch(REALTIME, realtime.pid());
            Map<String, FanOutClients> fleets = new LinkedHashMap<>();
            fleets.put(DIRECT, direct);
            fleets.put(GATEWAY, viaGateway);
            Map<String, URI> endpoints = Map.of(
                    DIRECT, URI.create("ws://127.0.0.1:" + realtimePort + "/ws"),
                    GATEWAY, URI.create("ws://127.0.0.1:" + gatewayPort + "/project-dashboard/ws"));
            for (Map.Entry<String, FanOutClients> fleet : fleets.entrySet()) {
                List<FanOutClients.Client> clients = new ArrayList<>();
                for (int i = 0; i < settings.wsClients(); i++) {
                    // one user each: realtime-service admits 10 connections per user
                    String user = "bench-gw-" + fleet.getKey() + "-" + i;
                    clients.add(new FanOutClients.Client(
                            user, DevTokens.userToken(user, List.of("user"), List.of("*"), List.of())));
                }
                long t0 = System.nanoTime();
                fleet.getValue()
                        .connectAll(
                                endpoints.get(fleet.getKey()),
                                "project:" + project(fleet.getKey()),
                                clients,
                                100,
                                Duration.ofSeconds(60));
                String line = String.format(
                        Locale.ROOT,
                        "WebSocket, %s: %,d clients connected to %s and subscribed to project:%s in %.1f s",
                        fleet.getKey(),
                        clients.size(),
                        endpoints.get(fleet.getKey()),
                        project(fleet.getKey()),
                        (System.nanoTime() - t0) / 1e9);
                log(line);
                notes.add(line + ".");
            }
            for (String target : List.of(DIRECT, GATEWAY)) {
                double rate = settings.wsRates().get(0);
                log("WebSocket warm-up of " + target + " at " + Report.number(rate) + " events/s (discarded)");
                WsStep warm = wsStep(0, target, fleets.get(target), pacer, rate, Math.min(5, settings.wsSeconds()));
                if (warm.received() == 0) {
                    throw new IllegalStateException("no event reached the " + target + " clients during the warm-up;"
                            + " realtime-service log tail:\n" + realtime.logTail());
                }
            }
            for (int run = 1; run <= settings.runs(); run++) {
                List<String> order = rotated(List.of(DIRECT, GATEWAY), run - 1);
                Set<String> stopped = new LinkedHashSet<>();
                for (double rate : settings.wsRates()) {
                    for (String target : order) {
                        if (stopped.contains(target)) {
                            continue;
                        }
                        WsStep step = wsStep(run, target, fleets.get(target), pacer, rate, settings.wsSeconds());
                        wsSteps.add(step);
                        if (!step.lossless() || step.p99Ms() > 1000) {
                            // saturated: higher rates would only measure queueing
                            stopped.add(target);
                        }
                    }
                }
                if (!realtime.isAlive()) {
                    throw new IllegalStateException("realtime-service exited; log tail:\n" + realtime.logTail());
                }
            }
            fleets.forEach((target, fleet) -> {
                if (fleet.lost() > 0) {
                    notes.add(String.format(
                            Locale.ROOT,
                            "WebSocket, %s: %d connection(s) ended during the run (last: %s).",
                            target,
                            fleet.lost(),
                            fleet.lossReason()));
                }
            });
        }
    }

    static String project(String target) {
        return "bench-" + target;
    }

    /** Publishes at {@code rate} to the target's project channel, then waits for the deliveries (or 2 s of none). */
    private WsStep wsStep(
            int run, String target, FanOutClients clients, EventPacer pacer, double rate, double seconds) {
        pause();
        clients.takeLatencies(); // whatever arrived between steps
        // a saturated step may have cost connections (a server drops a client that falls too far behind): the
        // expected deliveries are those of the clients still connected, and the table says how many that was
        int open = clients.open();
        long before = clients.deliveries();
        CpuUsage.Snapshot from = cpu.snapshot();
        long start = System.nanoTime();
        EventPacer.Published published = pacer.publish(project(target), rate, seconds);
        CpuUsage.Snapshot to = cpu.snapshot();
        long expected = (published.events() - published.failed()) * open;
        long sentAt = System.nanoTime();
        long deadline = sentAt + seconds(30);
        while (System.nanoTime() < deadline && clients.deliveries() - before < expected) {
            if (System.nanoTime() - Math.max(clients.lastDeliveryNanos(), sentAt) > seconds(2)) {
                break;
            }
            LockSupport.parkNanos(20_000_000);
        }
        long received = clients.deliveries() - before;
        Histogram latency = clients.takeLatencies();
        double elapsed = (Math.max(clients.lastDeliveryNanos(), start) - start) / 1e9;
        cpuGroups = cpu.groups();
        WsStep step = new WsStep(
                run,
                target,
                rate,
                open,
                published.events(),
                published.failed(),
                expected,
                received,
                elapsed,
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0,
                merged(CpuUsage.cores(from, to, cpuGroups)));
        log(String.format(
                Locale.ROOT,
                "WebSocket%s, %s at %s events/s: delivered %,d / %,d (%,.0f/s), p50 %.2f ms, p99 %.2f ms, max %.1f ms;"
                        + " CPU ms per 1,000 deliveries: gateway %.1f, realtime-service %.1f, Redis %.1f, bench JVM %.1f",
                run == 0 ? " warm-up" : "",
                target,
                Report.number(rate),
                received,
                expected,
                step.deliveriesPerSecond(),
                step.p50Ms(),
                step.p99Ms(),
                step.maxMs(),
                step.cpuMsPer1000(GATEWAY),
                step.cpuMsPer1000(REALTIME),
                step.cpuMsPer1000(CpuUsage.REDIS),
                step.cpuMsPer1000(CpuUsage.BENCH)));
        return step;
    }

    // ---------------------------------------------------------------- measuring helpers

    /** nginx's master and workers as one group. */
    static Map<String, Double> merged(Map<String, Double> cores) {
        Map<String, Double> out = new LinkedHashMap<>();
        cores.forEach((group, value) -> out.merge(group.startsWith(NGINX) ? NGINX : group, value, Double::sum));
        return out;
    }

    /** CPU ms per unit of work of one group: cores busy / units per second. */
    static double perRequestMs(Map<String, Double> cores, String group, double perSecond) {
        return perSecond > 0 ? cores.getOrDefault(group, 0.0) * 1000 / perSecond : 0;
    }

    private String cpuLine(Map<String, Double> cores, double perSecond) {
        List<String> parts = new ArrayList<>();
        for (String group : cpuColumns(cores.keySet())) {
            double ms = perRequestMs(cores, group, perSecond);
            if (ms >= 0.0005) {
                parts.add(String.format(Locale.ROOT, "%s %.3f ms", group, ms));
            }
        }
        return String.join(", ", parts);
    }

    /** The report's CPU columns: the processes that do the work, then the rest and the total. */
    static List<String> cpuColumns(Set<String> groups) {
        List<String> order = List.of(
                CpuUsage.BENCH,
                WRK,
                STUB,
                NGINX,
                GATEWAY,
                CpuUsage.REDIS,
                REALTIME,
                CpuUsage.POSTGRES,
                CpuUsage.OTHER,
                CpuUsage.MACHINE);
        return order.stream().filter(groups::contains).toList();
    }

    private static void pause() {
        LockSupport.parkNanos(seconds(1)); // lets the previous step's connections close and the JVMs settle
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    /** Redis's count of commands processed: the gateway's rate-limit calls per request. */
    private static final class RedisCounter implements AutoCloseable {
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;

        RedisCounter(String uri) {
            this.client = RedisClient.create(uri);
            this.connection = client.connect();
        }

        long commands() {
            return parseTotalCommands(connection.sync().info("stats"));
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
        }
    }

    static long parseTotalCommands(String info) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("total_commands_processed:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        throw new IllegalStateException("INFO stats has no total_commands_processed");
    }

    // ---------------------------------------------------------------- logs and problems

    private void logFindings(String service, Path log) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            long count = 0;
            Set<String> distinct = new LinkedHashSet<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.contains(SHUTDOWN)) {
                    break; // what a service logs while the bench stops it is no finding
                }
                if (WARN_OR_ERROR.matcher(line).find()) {
                    count++;
                    if (distinct.size() < 5) {
                        distinct.add(Report.abbreviate(
                                line.substring(line.indexOf(' ')).trim(), 400));
                    }
                }
            }
            if (count > 0) {
                StringBuilder note = new StringBuilder(String.format(
                        Locale.ROOT,
                        "%s logged %,d WARN/ERROR line(s) before it was stopped (%s); the first:",
                        service,
                        count,
                        log));
                distinct.forEach(line ->
                        note.append("\n  - `").append(line.replace("`", "'")).append('`'));
                notes.add(note.toString());
                log(note.toString());
            }
        } catch (IOException e) {
            notes.add("could not read " + log + ": " + e.getMessage());
        }
    }

    private void problem(String what, Exception e) {
        String text = e == null ? what : what + ": " + e;
        problems.add(text);
        log("*** " + text);
        if (e != null) {
            e.printStackTrace();
        }
    }

    static void log(String message) {
        CommandLine.log(NAME, message);
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started) throws InterruptedException {
        return new GatewayReport(
                        settings,
                        maxSteps,
                        pacedSteps,
                        wsSteps,
                        problems,
                        notes,
                        versions,
                        loadBefore,
                        loadAfter,
                        Duration.between(started, Instant.now()))
                .render(started);
    }

    static Optional<MaxStep> find(List<MaxStep> steps, int run, String target) {
        return steps.stream()
                .filter(step -> step.run() == run && step.target().equals(target))
                .findFirst();
    }

    static Optional<PacedStep> find(List<PacedStep> steps, int run, String target, String rateName) {
        return steps.stream()
                .filter(step -> step.run() == run
                        && step.target().equals(target)
                        && step.rateName().equals(rateName))
                .findFirst();
    }
}
