package dev.projectdashboard.bench.devicebridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.ServiceProcess;
import dev.projectdashboard.bench.deploynotifier.CpuUsage;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run device-bridge}: how long source 001's upload request takes to be answered by device-bridge (MQTT
 * request → file-service presign → MQTT answer) for 1,000 devices asking once a second each, against a plain broker
 * echo of the same load on the same broker, and what each request costs device-bridge in CPU. Writes the
 * {@code device-bridge} section of bench/REPORT.md.
 */
public final class DeviceBridgeBenchmark {

    /** Cameras logging in at once: a fleet reconnects with jitter, and each login is a broker-auth call. */
    private static final int CONNECTS_IN_FLIGHT = 20;

    public static final String NAME = "device-bridge";
    static final String BRIDGE_JAR = "device-bridge/target/device-bridge-0.1.0-SNAPSHOT.jar";
    static final String FILES_JAR = "file-service/target/file-service-0.1.0-SNAPSHOT.jar";
    private static final String BRIDGE = "device-bridge";
    private static final String FILES = "file-service";
    private static final double GOAL_P99_MS = 20;
    private static final String RATE_LIMIT = "1000000";
    private static final int IDLE_SECONDS = 10;

    public static final String USAGE =
            """
            usage: bench/run device-bridge [--quick] [--devices 50,100,250,1000] [--warm-up-seconds 60] [--seconds 20]
                                           [--runs 3]
                                           [--timeout-ms 5000] [--netty-threads 2]
                                           [--bridge-jvm "-Xmx256m"] [--files-jvm "-Xmx256m"]
                                           [--bridge-jar device-bridge/target/device-bridge-0.1.0-SNAPSHOT.jar]
                                           [--files-jar file-service/target/file-service-0.1.0-SNAPSHOT.jar]
                                           [--report bench/REPORT.md]
              --devices:  simulated cameras per step, ascending, each asking once a second (evenly spread: devices =
                          requests/s); as many echo devices beside them. The warm-up runs at the first count; the
                          goal is 1000
              --timeout-ms: an answer later than this counts as lost
              --quick:    50 devices, 30 s warm-up (a fresh device-bridge needs it), one run of 10 s, report to
                          bench/target/device-bridge/REPORT.md
            """;

    record Settings(
            List<Integer> devices,
            double warmUpSeconds,
            double seconds,
            int runs,
            Duration timeout,
            int nettyThreads,
            List<String> bridgeJvm,
            List<String> filesJvm,
            Path bridgeJar,
            Path filesJar,
            Path report,
            Path workDir,
            String commandLine) {}

    /** One fleet's answers in one step; latencies in ms. */
    record FleetResult(
            long sent,
            long succeeded,
            long lost,
            long late,
            long mismatched,
            long wrong,
            long publishFailures,
            Map<String, Long> errors,
            Map<String, String> examples,
            long answers,
            double p50,
            double p90,
            double p99,
            double max) {

        static FleetResult of(Tally tally) {
            Histogram latency = tally.takeLatencies();
            return new FleetResult(
                    tally.sentCount(),
                    tally.succeeded(),
                    tally.lost(),
                    tally.late(),
                    tally.mismatched(),
                    tally.wrongCount(),
                    tally.publishFailures(),
                    tally.errors(),
                    tally.examples(),
                    latency.getTotalCount(),
                    latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(90) / 1000.0,
                    latency.getValueAtPercentile(99) / 1000.0,
                    latency.getMaxValue() / 1000.0);
        }

        String latencies() {
            return Report.ms(p50) + " / " + Report.ms(p90) + " / " + Report.ms(p99) + " / " + Report.ms(max);
        }
    }

    /** One paced step: both fleets at the same rate, and where the cores went while sending. */
    record Step(
            int devices,
            double sendSeconds,
            FleetResult bridge,
            FleetResult echo,
            double processed,
            Map<String, Double> cores) {

        double ratio() {
            return echo.p99() > 0 ? bridge.p99() / echo.p99() : Double.NaN;
        }

        /** Requests device-bridge answered per second while the step was sending (by its own counter). */
        double processedPerSecond() {
            return sendSeconds > 0 ? processed / sendSeconds : 0;
        }

        /**
         * CPU ms a group used per request device-bridge answered while the step was sending (its own counter, so an
         * overloaded step is not flattered by the requests it never got to).
         */
        double cpuMsPerRequest(String group) {
            return processed > 0 ? cores.getOrDefault(group, 0.0) * sendSeconds * 1000 / processed : Double.NaN;
        }

        boolean goalMet() {
            return bridge.lost() == 0 && bridge.mismatched() == 0 && bridge.p99() <= GOAL_P99_MS;
        }
    }

    private final Settings settings;
    private final List<Step> steps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, Double> bridgeCounters = new TreeMap<>();
    private List<String> cpuGroups = List.of();
    private Step warmUp;
    /** Cores each process used with no requests at all, after the runs (background work: timers, polling, GC). */
    private Map<String, Double> idle = Map.of();

    private String loadBefore = "";
    private String loadAfter = "";
    private long next;
    /** Per camera, the second of recording its next request names (a new path every time). */
    private long[] recordingSecond = new long[0];

    DeviceBridgeBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "device-bridge". Returns the exit status. */
    public static int main(String[] args) {
        return CommandLine.run(
                args, USAGE, DeviceBridgeBenchmark::parse, settings -> new DeviceBridgeBenchmark(settings).run());
    }

    static Settings parse(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        String[] named =
                Arrays.stream(args).filter(arg -> !arg.equals("--quick")).toArray(String[]::new);
        List<Integer> devices = quick ? List.of(50) : List.of(50, 100, 250, 1000);
        double warmUp = quick ? 30 : 60;
        double seconds = quick ? 10 : 20;
        int runs = quick ? 1 : 3;
        long timeoutMs = 5000;
        int nettyThreads = 2;
        List<String> bridgeJvm = List.of("-Xmx256m");
        List<String> filesJvm = List.of("-Xmx256m");
        Path bridgeJar = Path.of(BRIDGE_JAR);
        Path filesJar = Path.of(FILES_JAR);
        Path workDir = Path.of("bench/target/device-bridge");
        // a quick look must not replace the full run's section
        Path report = quick ? workDir.resolve("REPORT.md") : Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(named)) {
            String value = option.value();
            switch (option.name()) {
                case "--devices" ->
                    devices = CommandLine.integers(value).stream().sorted().toList();
                case "--warm-up-seconds" -> warmUp = Double.parseDouble(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--timeout-ms" -> timeoutMs = Long.parseLong(value);
                case "--netty-threads" -> nettyThreads = Integer.parseInt(value);
                case "--bridge-jvm" -> bridgeJvm = CommandLine.words(value);
                case "--files-jvm" -> filesJvm = CommandLine.words(value);
                case "--bridge-jar" -> bridgeJar = Path.of(value);
                case "--files-jar" -> filesJar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        if (devices.isEmpty()
                || devices.stream().anyMatch(count -> count < 1 || count > 9999)
                || warmUp < 0
                || seconds <= 0
                || runs < 1
                || timeoutMs < 1
                || nettyThreads < 1) {
            throw new IllegalArgumentException("device counts (1–9999), durations, runs and threads must be positive");
        }
        return new Settings(
                devices,
                warmUp,
                seconds,
                runs,
                Duration.ofMillis(timeoutMs),
                nettyThreads,
                bridgeJvm,
                filesJvm,
                bridgeJar,
                filesJar,
                report,
                workDir,
                CommandLine.typed(args));
    }

    /** Measures what it can, writes the report section, and says whether everything was measured. */
    boolean run() throws Exception {
        Instant started = Instant.now();
        loadBefore = Report.loadAverage();
        Files.createDirectories(settings.workDir());
        Path filesLog = settings.workDir().resolve("file-service.log");
        Path bridgeLog = settings.workDir().resolve("device-bridge.log");
        log("starting the local stack (PostgreSQL, Redis, MQTT, S3) in this JVM");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.randomPorts())) {
            CpuUsage cpu = new CpuUsage(stack.workDir());
            MqttClientExecutorConfig executor = MqttClientExecutorConfig.builder()
                    .nettyThreads(settings.nettyThreads())
                    .build();
            // the echo devices connect while the broker still lets anyone in: device-bridge's endpoint grants
            // devices their own upload topics only, and the echo must use topics device-bridge does not read
            log("connecting the echo and " + maxDevices() + " echo devices (anonymous, before authentication)");
            try (EchoServer ignored =
                            new EchoServer(stack.mqttHost(), stack.mqttPort(), executor, Duration.ofSeconds(30));
                    Fleet echo = new Fleet(
                            Fleet.Kind.ECHO, stack.mqttHost(), stack.mqttPort(), executor, settings.timeout());
                    Fleet cameras = new Fleet(
                            Fleet.Kind.BRIDGE, stack.mqttHost(), stack.mqttPort(), executor, settings.timeout())) {
                echo.connectAll(logins("ECHO", null), 100, Duration.ofSeconds(120));
                measure(stack, cpu, executor, echo, cameras, filesLog, bridgeLog);
            }
        } catch (Exception e) {
            problem("device-bridge could not be measured", e);
        }
        loadAfter = Report.loadAverage();
        String section = report(started);
        Report.writeSection(settings.report(), NAME, section);
        log("report written to " + settings.report());
        System.out.println(section);
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return problems.isEmpty();
    }

    private void measure(
            LocalStack stack,
            CpuUsage cpu,
            MqttClientExecutorConfig executor,
            Fleet echo,
            Fleet cameras,
            Path filesLog,
            Path bridgeLog)
            throws Exception {
        int filesPort = ServiceProcess.freePort();
        int bridgePort = ServiceProcess.freePort();
        URI authUrl = URI.create("http://127.0.0.1:" + bridgePort + "/internal/v1/mqtt/auth");
        stack.requireMqttAuthentication(authUrl, DevDefaults.API_KEY);
        log("broker now authenticates every CONNECT through " + authUrl);
        Map<String, String> environment = new LinkedHashMap<>(stack.environment());
        // the development secrets, whatever this shell exports: the bench mints tokens and logs in with them
        environment.put(DevDefaults.API_KEY_ENV, DevDefaults.API_KEY);
        environment.put(DevDefaults.JWT_SECRET_ENV, DevDefaults.JWT_SECRET);
        environment.put(DevDefaults.MQTT_PASSWORD_ENV, DevDefaults.MQTT_PASSWORD);
        environment.put("FILE_SERVICE_URL", "http://127.0.0.1:" + filesPort);
        environment.put("DEVICES_RATE_LIMIT", RATE_LIMIT);
        log("starting file-service (log " + filesLog + ") and device-bridge (log " + bridgeLog + ")");
        try (ServiceProcess files = ServiceProcess.start(
                        FILES, settings.filesJar(), settings.filesJvm(), List.of(), environment, filesPort, filesLog);
                ServiceProcess bridge = ServiceProcess.start(
                        BRIDGE,
                        settings.bridgeJar(),
                        settings.bridgeJvm(),
                        List.of(),
                        environment,
                        bridgePort,
                        bridgeLog)) {
            files.awaitReady(Duration.ofSeconds(180));
            // ready includes its broker connection: device-bridge logged in through its own endpoint
            bridge.awaitReady(Duration.ofSeconds(180));
            log("file-service (pid " + files.pid() + ") and device-bridge (pid " + bridge.pid() + ") ready");
            cpu.watch(BRIDGE, bridge.pid());
            cpu.watch(FILES, files.pid());
            cpuGroups = cpu.groups();
            notes.add("an anonymous MQTT client was " + (anonymousRefused(stack) ? "refused" : "**let in**")
                    + " once authentication was on");
            List<String> ids = ids("BENCH");
            log("registering " + ids.size() + " devices through POST /api/v1/devices");
            long registering = System.nanoTime();
            List<String> secrets = new DeviceApi(bridge.uri("").toString(), DevTokens.adminToken("bench"))
                    .registerAll(ids, "bench camera", 16, Duration.ofSeconds(300));
            log(String.format(
                    Locale.ROOT,
                    "registered in %.1f s; connecting the cameras with their secrets",
                    (System.nanoTime() - registering) / 1e9));
            long connecting = System.nanoTime();
            List<Fleet.Login> logins = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                logins.add(new Fleet.Login(ids.get(i), ids.get(i), secrets.get(i)));
            }
            cameras.connectAll(logins, CONNECTS_IN_FLIGHT, Duration.ofSeconds(300));
            notes.add(String.format(
                    Locale.ROOT,
                    "registering %,d devices took %.1f s (16 requests in flight); connecting them through the auth"
                            + " endpoint %.1f s (%d CONNECTs in flight)",
                    ids.size(),
                    (connecting - registering) / 1e9,
                    (System.nanoTime() - connecting) / 1e9,
                    CONNECTS_IN_FLIGHT));
            recordingSecond = new long[ids.size()];
            BridgeMetrics metrics = new BridgeMetrics(bridge.uri("/actuator/prometheus"));
            int first = settings.devices().get(0);
            log("cameras connected; warm-up at " + first + " devices for " + Report.number(settings.warmUpSeconds())
                    + " s (discarded)");
            if (settings.warmUpSeconds() > 0) {
                warmUp = step(cpu, metrics, echo, cameras, first, settings.warmUpSeconds());
                log("warm-up: " + summary(warmUp));
                if (warmUp.bridge().succeeded() == 0) {
                    throw new IllegalStateException("device-bridge answered no request during the warm-up ("
                            + warmUp.bridge().errors() + " " + warmUp.bridge().examples() + "); log tail:\n"
                            + bridge.logTail());
                }
            }
            for (int devices : settings.devices()) {
                for (int run = 1; run <= settings.runs(); run++) {
                    awaitIdle(metrics);
                    Step step = step(cpu, metrics, echo, cameras, devices, settings.seconds());
                    steps.add(step);
                    log(devices + " devices, run " + run + ": " + summary(step));
                }
            }
            if (cameras.disconnects() > 0 || echo.disconnects() > 0) {
                notes.add(String.format(
                        Locale.ROOT,
                        "connections lost during the run: cameras %d, echo devices %d (last: %s %s)",
                        cameras.disconnects(),
                        echo.disconnects(),
                        cameras.lastDisconnect(),
                        echo.lastDisconnect()));
            }
            if (cameras.answersAfterExpiry() > 0 || echo.answersAfterExpiry() > 0) {
                notes.add(String.format(
                        Locale.ROOT,
                        "answers after their request was counted lost: device-bridge %d, echo %d",
                        cameras.answersAfterExpiry(),
                        echo.answersAfterExpiry()));
            }
            metrics.answers().forEach((labels, count) -> bridgeCounters.put(labels, count));
            awaitIdle(metrics);
            CpuUsage.Snapshot quiet = cpu.snapshot();
            LoadClients.sleep(IDLE_SECONDS * 1000);
            idle = CpuUsage.cores(quiet, cpu.snapshot(), cpuGroups);
            if (!bridge.isAlive() || !files.isAlive()) {
                problem("a service exited during the run; device-bridge log tail:\n" + bridge.logTail(), null);
            }
        }
    }

    /**
     * Both fleets send for {@code seconds}, paced (what is due is sent every ~1 ms, device after device in turn, so
     * each device asks once a second and the requests are spread evenly over it); then the answers are awaited up to
     * the timeout after the last send, and whatever still waits is lost.
     */
    private Step step(CpuUsage cpu, BridgeMetrics metrics, Fleet echo, Fleet cameras, int devices, double seconds) {
        Tally bridgeTally = new Tally(settings.timeout());
        Tally echoTally = new Tally(settings.timeout());
        cameras.countInto(bridgeTally);
        echo.countInto(echoTally);
        long total = Math.round(devices * seconds);
        long timestamp = Instant.now().getEpochSecond();
        double answeredBefore = metrics.answered();
        CpuUsage.Snapshot from = cpu.snapshot();
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            long due = Math.min(total, (long) Math.floor(elapsed * devices) + 1);
            for (; sent < due; sent++, next++) {
                int device = (int) (sent % devices);
                long second = recordingSecond[device]++;
                String requestId = String.format(Locale.ROOT, "upload_%08x", next);
                send(cameras, device, requestId, second, timestamp + sent / devices, bridgeTally);
                send(echo, device, requestId, second, timestamp + sent / devices, echoTally);
            }
            LockSupport.parkNanos(1_000_000);
        }
        long sentAt = System.nanoTime();
        CpuUsage.Snapshot to = cpu.snapshot();
        double processed = metrics.answered() - answeredBefore;
        long deadline = sentAt + settings.timeout().toNanos();
        while (System.nanoTime() < deadline && (cameras.waiting(bridgeTally) > 0 || echo.waiting(echoTally) > 0)) {
            LoadClients.sleep(10);
        }
        cameras.expire(bridgeTally);
        echo.expire(echoTally);
        return new Step(
                devices,
                (sentAt - start) / 1e9,
                FleetResult.of(bridgeTally),
                FleetResult.of(echoTally),
                processed,
                CpuUsage.cores(from, to, cpuGroups));
    }

    /**
     * Waits (up to a minute) until device-bridge has nothing queued or running, so that the backlog of an overloaded
     * step is not measured in the next one; at least 2 s between steps.
     */
    private static void awaitIdle(BridgeMetrics metrics) {
        LoadClients.sleep(2000);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (System.nanoTime() < deadline && metrics.busy() > 0) {
            LoadClients.sleep(500);
        }
    }

    private int maxDevices() {
        return settings.devices().get(settings.devices().size() - 1);
    }

    private static void send(Fleet fleet, int device, String requestId, long second, long timestamp, Tally tally) {
        String deviceId = fleet.deviceId(device);
        String path = SourceMessages.cloudPath(deviceId, second);
        fleet.send(
                device,
                requestId,
                path,
                SourceMessages.request(requestId, deviceId, path, SourceMessages.EXAMPLE_FILE_SIZE, timestamp),
                tally);
    }

    private List<String> ids(String prefix) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < maxDevices(); i++) {
            ids.add(String.format(Locale.ROOT, "%s_%04d", prefix, i));
        }
        return ids;
    }

    private List<Fleet.Login> logins(String prefix, String password) {
        return ids(prefix).stream().map(id -> new Fleet.Login(id, id, password)).toList();
    }

    /** Whether a CONNECT without credentials is refused, as it must be once the bridge's endpoint decides. */
    private static boolean anonymousRefused(LocalStack stack) {
        try {
            MqttClient.builder()
                    .useMqttVersion5()
                    .identifier("bench-anonymous")
                    .serverHost(stack.mqttHost())
                    .serverPort(stack.mqttPort())
                    .buildAsync()
                    .connect()
                    .get(10, TimeUnit.SECONDS);
            return false;
        } catch (Exception refused) {
            return true;
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

    private static String summary(Step step) {
        return String.format(
                Locale.ROOT,
                "device-bridge sent %,d, answered %,d (+%,d errors), lost %,d, mismatched %,d, p50/p90/p99/max %s ms;"
                        + " echo lost %,d, p50/p90/p99/max %s ms; p99 ratio %.1f; device-bridge %.2f cores",
                step.bridge().sent(),
                step.bridge().succeeded(),
                step.bridge().errors().values().stream()
                        .mapToLong(Long::longValue)
                        .sum(),
                step.bridge().lost(),
                step.bridge().mismatched(),
                step.bridge().latencies(),
                step.echo().lost(),
                step.echo().latencies(),
                step.ratio(),
                step.cores().getOrDefault(BRIDGE, 0.0));
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append(
                "## device-bridge: source 001 upload request → answer latency at 1,000 devices, vs a broker echo\n\n");
        out.append(Report.dateAndCommit(started)).append('\n');
        out.append(Report.machineLine());
        out.append(Report.commandLine(settings.commandLine()));
        out.append(Report.loadAveragesWarned(loadBefore, loadAfter))
                .append(String.format(
                        Locale.ROOT,
                        "; processes outside the bench used up to %.2f cores during a measured window (column \"%s\")",
                        allSteps().stream()
                                .mapToDouble(step -> step.cores().getOrDefault(CpuUsage.OTHER, 0.0))
                                .max()
                                .orElse(0),
                        CpuUsage.OTHER))
                .append('\n');
        out.append(Report.jar(BRIDGE, settings.bridgeJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.bridgeJvm()))
                .append(" -jar …` with `DEVICES_RATE_LIMIT=" + RATE_LIMIT
                        + "` (the shipped 60 per minute would refuse a device asking once a second for over a"
                        + " minute), otherwise shipped settings (queue concurrency 64, capacity 10,000)\n");
        out.append(Report.jar(FILES, settings.filesJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.filesJvm()))
                .append(" -jar …` (shipped configuration)\n");
        out.append("- Goal (issue 12): p99 ≤ 20 ms with zero lost at 1,000 devices × 1 request/s.\n\n");
        out.append(setupAndMethod());
        out.append("### Results\n\n");
        for (String problem : problems) {
            out.append("**Not (fully) measured:** ")
                    .append(Report.oneLine(problem))
                    .append("\n\n");
        }
        List<List<String>> rows = new ArrayList<>();
        if (warmUp != null) {
            rows.add(row("warm-up (discarded)", warmUp));
        }
        for (Step step : steps) {
            rows.add(row("run " + runOf(step), step));
        }
        out.append(Report.table(
                List.of(
                        "devices (requests/s)",
                        "step",
                        "requests",
                        "answered in time (errors)",
                        "lost",
                        "mismatched",
                        "device-bridge p50 / p90 / p99 / max ms",
                        "echo lost",
                        "echo p50 / p90 / p99 / max ms",
                        "p99 bridge / echo",
                        "device-bridge answered/s",
                        "device-bridge CPU ms / answer"),
                rows));
        out.append("\n(answered/s: device-bridge's own count of answers while the step was sending, late ones"
                + " included: what it got through when overloaded. CPU per answer: its CPU time in that window /"
                + " those answers.)\n");
        for (int devices : settings.devices()) {
            List<Step> of = stepsAt(devices);
            if (of.isEmpty()) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT, "%n%,d devices, over %d run(s) (min / median / max):%n%n", devices, of.size()));
            out.append(spread(of, "device-bridge p99", step -> step.bridge().p99(), " ms"));
            out.append(spread(of, "echo p99", step -> step.echo().p99(), " ms"));
            out.append(spread(of, "p99 ratio bridge / echo", Step::ratio, ""));
            out.append(String.format(
                    Locale.ROOT,
                    "- lost: %s of %,d each%n",
                    String.join(
                            " / ",
                            of.stream()
                                    .mapToLong(step -> step.bridge().lost())
                                    .sorted()
                                    .mapToObj(lost -> String.format(Locale.ROOT, "%,d", lost))
                                    .toList()),
                    of.get(0).bridge().sent()));
            out.append(spread(of, "device-bridge CPU per answer", step -> step.cpuMsPerRequest(BRIDGE), " ms"));
            out.append(spread(of, "file-service CPU per answer", step -> step.cpuMsPerRequest(FILES), " ms"));
            out.append(spread(of, "PostgreSQL CPU per answer", step -> step.cpuMsPerRequest(CpuUsage.POSTGRES), " ms"));
            out.append(spread(of, "Redis CPU per answer", step -> step.cpuMsPerRequest(CpuUsage.REDIS), " ms"));
        }
        out.append("\n#### Where the cores went (cores busy while sending)\n\n");
        List<String> header = new ArrayList<>(List.of("devices", "step"));
        header.addAll(cpuGroups);
        List<List<String>> cpuRows = new ArrayList<>();
        if (warmUp != null) {
            cpuRows.add(cpuRow("warm-up", warmUp));
        }
        for (Step step : steps) {
            cpuRows.add(cpuRow("run " + runOf(step), step));
        }
        if (!idle.isEmpty()) {
            List<String> row = new ArrayList<>(List.of("0", "idle, " + IDLE_SECONDS + " s after the runs"));
            cpuGroups.forEach(group -> row.add(String.format(Locale.ROOT, "%.2f", idle.getOrDefault(group, 0.0))));
            cpuRows.add(row);
        }
        out.append(Report.table(header, cpuRows));
        out.append("\n(")
                .append(CpuUsage.BENCH)
                .append(": the load generator (cameras and echo devices), the echo and the local stack's in-JVM MQTT"
                        + " broker and S3 server; ")
                .append(CpuUsage.OTHER)
                .append(": every other process on the machine — other users' work, kernel threads; ")
                .append(CpuUsage.MACHINE)
                .append(": the sum.)\n");
        if (!bridgeCounters.isEmpty()) {
            out.append("\ndevice-bridge's own count at the end (`" + BridgeMetrics.ANSWERS + "`, warm-up included): ");
            List<String> parts = new ArrayList<>();
            bridgeCounters.forEach(
                    (labels, count) -> parts.add(String.format(Locale.ROOT, "`{%s}` %,.0f", labels, count)));
            out.append(String.join(", ", parts)).append('\n');
        }
        Map<String, String> examples = new LinkedHashMap<>();
        allSteps().forEach(step -> {
            step.bridge().examples().forEach((kind, body) -> examples.putIfAbsent("device-bridge: " + kind, body));
            step.echo().examples().forEach((kind, body) -> examples.putIfAbsent("echo: " + kind, body));
        });
        out.append(Report.examples("First answer of each kind that was not the one asked for:", examples));
        out.append(Report.notes(notes));
        out.append(verdict());
        return out.toString();
    }

    private String setupAndMethod() {
        int devices = maxDevices();
        StringBuilder out = new StringBuilder("### Setup\n\n");
        out.append("Everything shares this machine's **")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores**: the bench JVM (the local stack's embedded HiveMQ CE broker and S3 server, all"
                        + " simulated devices, the echo), device-bridge's JVM, file-service's JVM and the local"
                        + " stack's PostgreSQL and Redis processes, on loopback. The broker authenticates every"
                        + " CONNECT through device-bridge's `POST /internal/v1/mqtt/auth` (`X-Api-Key`), as"
                        + " `./dashboard up` runs it; device-bridge logs in as `device-bridge` with its development"
                        + " password. Absolute numbers are those of a crowded box; the CPU table shows who used the"
                        + " cores.\n\n");
        out.append("### Method\n\n");
        out.append(String.format(
                Locale.ROOT,
                "- Devices: %,d cameras `BENCH_0000`… registered with an admin JWT through `POST /api/v1/devices`"
                        + " (201 with `mqtt_password`), each an MQTT 5 connection from the bench JVM (HiveMQ's async"
                        + " client, client id and username = device id, password = its secret, clean start, QoS 1"
                        + " both ways) subscribed to `devices/{id}/upload/response`. All connections (cameras,"
                        + " echo devices and the echo, %,d in all) share **%d Netty event-loop threads** (one"
                        + " `MqttClientExecutorConfig`), which also run the answer callbacks; **one pacing thread**"
                        + " publishes.%n",
                devices,
                2 * devices + 1,
                settings.nettyThreads()));
        out.append("- Load, per step: the first N cameras (N = ")
                .append(settings.devices().stream()
                        .map(String::valueOf)
                        .reduce((a, b) -> a + ", " + b)
                        .orElse(""))
                .append(") each send source 001's request exactly once a second: every ~1 ms the pacing thread"
                        + " publishes what is due, device after device in turn, so the N requests of a second are"
                        + " spread evenly over it (N requests/s). The body is source 001's JSON (`request_id`"
                        + " `upload_%08x`, unique; `file_name` the full path `{id}/2025/07/11/{HHmmss}_motion_video.ts`,"
                        + " a new time at every request of the device; `file_size` 15728640, `priority` 2,"
                        + " `timestamp`, `device_id`, `metadata` as in the document).\n");
        out.append(String.format(
                Locale.ROOT,
                "- Measured: request published → answer received (System.nanoTime in the bench JVM, HdrHistogram)."
                        + " An answer counts when its `request_id` is one this device asked and is still waiting,"
                        + " on that device's topic, with `success: true` and `cloud_file_path` the requested path;"
                        + " an error answer (`success: false`) or an answer not matching a request is"
                        + " *mismatched*; a request without a matched answer within %s ms is *lost* (the latency"
                        + " columns include the late answers that came before the step ended). Warm-up at %,d"
                        + " devices for %s s (discarded: JIT, connection pools), then %d run(s) of %s s per device"
                        + " count, each followed by waiting up to the timeout for the last answers; before each run"
                        + " the bench waits (2 s, up to 60 s) until device-bridge reports nothing queued or in"
                        + " flight.%n",
                settings.timeout().toMillis(),
                settings.devices().get(0),
                Report.number(settings.warmUpSeconds()),
                settings.runs(),
                Report.number(settings.seconds())));
        out.append(String.format(
                Locale.ROOT,
                "- Reference, at the same time on the same broker: as many echo devices `ECHO_0000`… publish the"
                        + " same requests at the same moments on `devices/{id}/echo/request`; one echo client on the"
                        + " shared subscription `%s` republishes each unchanged on `devices/{id}/echo/response`."
                        + " That is the broker round trip the bridge cannot avoid (device → broker → subscriber →"
                        + " broker → device, QoS 1) under the same machine load. The echo clients connect before"
                        + " authentication is switched on (anonymous, every right): device-bridge's endpoint grants a"
                        + " device only its own upload topics, which device-bridge reads. ratio = p99(device-bridge)"
                        + " / p99(echo) of the same run.%n",
                EchoServer.FILTER));
        out.append("- The path measured: device → broker → device-bridge (shared subscription"
                + " `$share/device-bridge/devices/+/upload/request`) → JSON → device registry (cached) → rate limit"
                + " (Redis) → file-service `POST /internal/v1/device-uploads` (presign) → PostgreSQL insert (which"
                + " also tells a repeated request id) → answer published → broker → device (the request is"
                + " acknowledged to the broker once queued in device-bridge); `device.upload_requested`"
                + " goes to Redis without being waited for.\n");
        out.append("- CPU: each process's utime + stime from /proc/<pid>/stat over the sending window (cores = CPU"
                + " seconds / wall seconds).\n\n");
        return out.toString();
    }

    private String verdict() {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        int goal = settings.devices().contains(1000) ? 1000 : maxDevices();
        List<Step> atGoal = stepsAt(goal);
        if (atGoal.isEmpty()) {
            out.append("- p99 ≤ 20 ms and zero lost at 1,000 devices × 1 request/s: **not measured**\n");
            return out.toString();
        }
        long met = atGoal.stream().filter(Step::goalMet).count();
        Step median = median(atGoal);
        long lost = atGoal.stream().mapToLong(step -> step.bridge().lost()).sum();
        long sent = atGoal.stream().mapToLong(step -> step.bridge().sent()).sum();
        long mismatched =
                atGoal.stream().mapToLong(step -> step.bridge().mismatched()).sum();
        out.append(String.format(
                Locale.ROOT,
                "- p99 ≤ 20 ms and zero lost at %,d devices × 1 request/s%s: **%s** — %d of %d runs met it; median"
                        + " run p99 %s ms (echo %s ms, ratio %.1f); lost %,d of %,d, mismatched %,d over its runs;"
                        + " device-bridge answered %,.0f/s\n",
                goal,
                goal == 1000 ? "" : " (not the goal's 1,000 devices)",
                met == atGoal.size() ? "met" : "NOT met",
                met,
                atGoal.size(),
                Report.ms(median.bridge().p99()),
                Report.ms(median.echo().p99()),
                median.ratio(),
                lost,
                sent,
                mismatched,
                median.processedPerSecond()));
        List<Integer> kept = settings.devices().stream()
                .filter(devices ->
                        !stepsAt(devices).isEmpty() && stepsAt(devices).stream().allMatch(Step::goalMet))
                .toList();
        out.append("- Most devices with p99 ≤ 20 ms and nothing lost in every run: ")
                .append(
                        kept.isEmpty()
                                ? "none (no device count measured met it)"
                                : kept.get(kept.size() - 1) + " devices")
                .append('\n');
        List<Step> reference = stepsAt(settings.devices().get(0));
        if (!reference.isEmpty()) {
            Step quiet = median(reference);
            out.append(String.format(
                    Locale.ROOT,
                    "- device-bridge CPU per answer at %,d devices (median run): %.2f ms, file-service %.2f ms,"
                            + " PostgreSQL %.2f ms, Redis %.2f ms\n",
                    quiet.devices(),
                    quiet.cpuMsPerRequest(BRIDGE),
                    quiet.cpuMsPerRequest(FILES),
                    quiet.cpuMsPerRequest(CpuUsage.POSTGRES),
                    quiet.cpuMsPerRequest(CpuUsage.REDIS)));
        }
        return out.toString();
    }

    private List<Step> stepsAt(int devices) {
        return steps.stream().filter(step -> step.devices() == devices).toList();
    }

    /** The run with the median device-bridge p99. */
    private static Step median(List<Step> runs) {
        return runs.stream()
                .sorted((a, b) -> Double.compare(a.bridge().p99(), b.bridge().p99()))
                .toList()
                .get(runs.size() / 2);
    }

    /** 1-based index of a step among the runs of its device count. */
    private int runOf(Step step) {
        return stepsAt(step.devices()).indexOf(step) + 1;
    }

    private List<Step> allSteps() {
        List<Step> all = new ArrayList<>();
        if (warmUp != null) {
            all.add(warmUp);
        }
        all.addAll(steps);
        return all;
    }

    private static List<String> row(String name, Step step) {
        FleetResult bridge = step.bridge();
        long errors =
                bridge.errors().values().stream().mapToLong(Long::longValue).sum();
        return List.of(
                String.format(Locale.ROOT, "%,d (%,.0f)", step.devices(), bridge.sent() / step.sendSeconds()),
                name,
                String.format(Locale.ROOT, "%,d", bridge.sent()),
                String.format(Locale.ROOT, "%,d (%,d%s)", bridge.succeeded() + errors, errors, errorCodes(bridge)),
                String.format(Locale.ROOT, "%,d", bridge.lost()),
                String.format(Locale.ROOT, "%,d", bridge.mismatched()),
                bridge.latencies(),
                String.format(Locale.ROOT, "%,d", step.echo().lost()),
                step.echo().latencies(),
                String.format(Locale.ROOT, "%.1f", step.ratio()),
                String.format(Locale.ROOT, "%,.0f", step.processedPerSecond()),
                String.format(Locale.ROOT, "%.2f", step.cpuMsPerRequest(BRIDGE)));
    }

    private static String errorCodes(FleetResult result) {
        if (result.errors().isEmpty()) {
            return "";
        }
        List<String> parts = new ArrayList<>();
        result.errors().forEach((code, count) -> parts.add(count + " × " + code));
        return ": " + String.join(", ", parts);
    }

    private static String spread(List<Step> runs, String what, ToDoubleFunction<Step> value, String unit) {
        double[] values = runs.stream().mapToDouble(value).sorted().toArray();
        return String.format(
                Locale.ROOT,
                "- %s: %s / %s / %s%s%n",
                what,
                Report.ms(values[0]),
                Report.ms(values[values.length / 2]),
                Report.ms(values[values.length - 1]),
                unit);
    }

    private List<String> cpuRow(String name, Step step) {
        List<String> row = new ArrayList<>(List.of(String.valueOf(step.devices()), name));
        for (String group : cpuGroups) {
            Double value = step.cores().get(group);
            row.add(value == null ? "–" : String.format(Locale.ROOT, "%.2f", value));
        }
        return row;
    }

    static void log(String message) {
        CommandLine.log(NAME, message);
    }
}
