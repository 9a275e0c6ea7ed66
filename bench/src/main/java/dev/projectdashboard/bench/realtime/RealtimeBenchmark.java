package dev.projectdashboard.bench.realtime;

import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.ServiceProcess;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.security.DevTokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run realtime}: fan-out throughput and publish→receive latency of realtime-service's native WebSocket
 * endpoint next to the stock Node socket.io server doing the same broadcast, and memory per idle connection of both.
 * Writes the {@code realtime} section of bench/REPORT.md.
 */
public final class RealtimeBenchmark {

    public static final String NAME = "realtime";
    static final String DEFAULT_JAR = "realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar";
    static final String USER_PREFIX = "bench-u";
    /**
     * Join/leave events on project channels make subscribing N clients cost N² presence frames (a storm of minutes at
     * 5,000 subscribers that would sit in front of the measured publications); socket.io has nothing comparable, so
     * the bench turns them off for project: by default (presence itself stays on). --service-args "" measures the
     * shipped configuration.
     */
    static final String NO_PROJECT_JOIN_LEAVE = "--dashboard.realtime.hub.join-leave-namespaces=deployment";

    private static final double GOAL_RATIO = 2.0;
    private static final double GOAL_P99_MS = 50;
    private static final long GOAL_BYTES_PER_IDLE_CONNECTION = 16 * 1024;

    public static final String USAGE =
            """
            usage: bench/run realtime [--clients 5000] [--idle-clients 10000] [--step-seconds 8]
                                      [--broadcast-rates 2,5,10,20,40] [--personal-rates 1000,2500,5000,10000,20000,40000]
                                      [--pad 100] [--stop-p99-ms 1000] [--targets native,socketio]
                                      [--service-jvm "-Xmx512m"] [--client-loops 2]
                                      [--service-args "--dashboard.realtime.hub.join-leave-namespaces=deployment"]
                                      [--jar realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar]
                                      [--report bench/REPORT.md]
              --broadcast-rates: events/s on the shared channel (deliveries/s = rate × clients)
              --personal-rates:  events/s spread over the clients' personal channels (deliveries/s = rate)
              each rate runs --step-seconds; a target's ladder stops at the first step that loses deliveries or whose
              p99 exceeds --stop-p99-ms (the server is saturated: higher rates only measure queueing)
            """;

    record Settings(
            int clients,
            int idleClients,
            double stepSeconds,
            List<Double> broadcastRates,
            List<Double> personalRates,
            int pad,
            double stopP99Ms,
            List<String> targets,
            List<String> serviceJvmOptions,
            List<String> serviceArguments,
            int clientLoops,
            Path jar,
            Path report,
            Path nodeDir,
            Path workDir,
            String commandLine) {}

    /** One rate step. */
    record Step(
            Target.Mode mode,
            double rate,
            long events,
            long failedPublishes,
            long expected,
            long received,
            double seconds,
            double p50Ms,
            double p99Ms,
            double maxMs) {

        double deliveriesPerSecond() {
            return seconds > 0 ? received / seconds : 0;
        }

        boolean lossless() {
            return failedPublishes == 0 && received >= expected;
        }
    }

    record IdleMemory(int connections, Target.Memory before, Target.Memory after, List<String> topClasses) {
        double rssPerConnection() {
            return (after.rss() - before.rss()) / (double) connections;
        }

        double heapPerConnection() {
            return (after.heapUsed() - before.heapUsed()) / (double) connections;
        }
    }

    /** Everything measured for one server; {@code problem} says why something is missing. */
    static final class TargetResult {
        final String key;
        String label = "";
        final List<Step> steps = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        /** Modes whose ladder stopped at a saturated step (else the top rate was sustained). */
        final java.util.Set<Target.Mode> saturated = java.util.EnumSet.noneOf(Target.Mode.class);

        IdleMemory memory;
        String problem;

        TargetResult(String key) {
            this.key = key;
        }

        List<Step> steps(Target.Mode mode) {
            return steps.stream().filter(step -> step.mode() == mode).toList();
        }

        Optional<Step> peak(Target.Mode mode) {
            return steps(mode).stream().max((a, b) -> Double.compare(a.deliveriesPerSecond(), b.deliveriesPerSecond()));
        }

        /** The highest deliveries/s of a lossless step with p99 within the goal. */
        Optional<Step> bestWithinGoal(Target.Mode mode) {
            return steps(mode).stream()
                    .filter(step -> step.lossless() && step.p99Ms() <= GOAL_P99_MS)
                    .max((a, b) -> Double.compare(a.deliveriesPerSecond(), b.deliveriesPerSecond()));
        }

        boolean saturated(Target.Mode mode) {
            return saturated.contains(mode);
        }
    }

    private final Settings settings;
    private String loadBefore = "";
    private String loadAfter = "";

    RealtimeBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "realtime". Returns the exit status. */
    public static int main(String[] args) {
        return CommandLine.run(args, USAGE, RealtimeBenchmark::parse, settings -> {
            new RealtimeBenchmark(settings).run();
            return true;
        });
    }

    static Settings parse(String[] args) {
        int clients = 5000;
        int idle = 10_000;
        double stepSeconds = 8;
        List<Double> broadcast = List.of(2.0, 5.0, 10.0, 20.0, 40.0);
        List<Double> personal = List.of(1000.0, 2500.0, 5000.0, 10_000.0, 20_000.0, 40_000.0);
        int pad = 100;
        double stopP99 = 1000;
        List<String> targets = List.of("native", "socketio");
        List<String> jvm = List.of("-Xmx512m");
        List<String> serviceArgs = List.of(NO_PROJECT_JOIN_LEAVE);
        int loops = 2;
        Path jar = Path.of(DEFAULT_JAR);
        Path report = Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(args)) {
            String value = option.value();
            switch (option.name()) {
                case "--clients" -> clients = Integer.parseInt(value);
                case "--idle-clients" -> idle = Integer.parseInt(value);
                case "--step-seconds" -> stepSeconds = Double.parseDouble(value);
                case "--broadcast-rates" -> broadcast = CommandLine.doubles(value);
                case "--personal-rates" -> personal = CommandLine.doubles(value);
                case "--pad" -> pad = Integer.parseInt(value);
                case "--stop-p99-ms" -> stopP99 = Double.parseDouble(value);
                case "--targets" -> targets = CommandLine.list(value);
                case "--service-jvm" -> jvm = CommandLine.words(value);
                case "--service-args" -> serviceArgs = CommandLine.words(value);
                case "--client-loops" -> loops = Integer.parseInt(value);
                case "--jar" -> jar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        if (clients < 1 || idle < 0 || stepSeconds <= 0 || loops < 1) {
            throw new IllegalArgumentException("--clients, --step-seconds and --client-loops must be positive");
        }
        for (String target : targets) {
            if (!target.equals("native") && !target.equals("socketio")) {
                throw new IllegalArgumentException("unknown target " + target + " (native, socketio)");
            }
        }
        return new Settings(
                clients,
                idle,
                stepSeconds,
                broadcast,
                personal,
                pad,
                stopP99,
                targets,
                jvm,
                serviceArgs,
                loops,
                jar,
                report,
                Path.of("bench/src/main/node"),
                Path.of("bench/target"),
                CommandLine.typed(args));
    }

    static String userId(int index) {
        return USER_PREFIX + index;
    }

    void run() throws Exception {
        Instant started = Instant.now();
        loadBefore = Report.loadAverage();
        Files.createDirectories(settings.workDir());
        List<TargetResult> results = new ArrayList<>();
        log("starting the local stack (Redis, PostgreSQL, MQTT, S3) in this JVM");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.randomPorts())) {
            for (String key : settings.targets()) {
                TargetResult result = new TargetResult(key);
                results.add(result);
                try {
                    measure(stack, result);
                } catch (Exception e) {
                    result.problem = e.toString();
                    log("*** " + key + " not (fully) measured: " + e);
                    e.printStackTrace();
                }
            }
        }
        loadAfter = Report.loadAverage();
        String section = report(started, results);
        Report.writeSection(settings.report(), NAME, section);
        log("report written to " + settings.report());
        System.out.println(section);
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
    }

    private void measure(LocalStack stack, TargetResult result) throws Exception {
        int port = ServiceProcess.freePort();
        if (result.key.equals("native")) {
            Path log = settings.workDir().resolve("realtime-service.log");
            List<String> jvm = settings.serviceJvmOptions();
            log("starting realtime-service: java " + String.join(" ", jvm) + " -jar " + settings.jar() + " "
                    + String.join(" ", settings.serviceArguments()) + " on port " + port + " (log " + log + ")");
            try (RealtimeServiceTarget target = RealtimeServiceTarget.start(
                    settings.jar(),
                    jvm,
                    settings.serviceArguments(),
                    stack.environment(),
                    stack.redisUri(),
                    port,
                    log)) {
                result.label = target.label();
                log("realtime-service ready (pid " + target.pid() + ")");
                measureTarget(target, result);
                if (!target.isAlive()) {
                    throw new IllegalStateException("realtime-service died; log tail:\n" + target.logTail());
                }
            }
        } else {
            Path log = settings.workDir().resolve("socketio-server.log");
            log("starting node " + settings.nodeDir().resolve("socketio-server.js") + " on port " + port);
            try (SocketIoTarget target = SocketIoTarget.start(settings.nodeDir(), port, log)) {
                result.label = target.label();
                measureTarget(target, result);
            }
        }
    }

    private void measureTarget(Target target, TargetResult result) throws Exception {
        try (LoadClients clients = new LoadClients(settings.clientLoops())) {
            long offset = target.clockOffsetMicros();
            clients.clockOffsetMicros(offset);
            if (offset != 0) {
                log(target.label() + ": its clock runs " + offset + " µs ahead of this JVM's (corrected)");
                result.notes.add("sender clock offset " + offset + " µs, subtracted from every sent_us");
            }
            if (settings.idleClients() > 0) {
                result.memory = idleMemory(target, clients);
            }
            List<LoadClients.Client> fleet = fleet(settings.clients(), "bench");
            log(target.label() + ": connecting " + fleet.size() + " clients (each subscribed to project:bench and"
                    + " its personal channel)");
            long connectStart = System.nanoTime();
            clients.connectAll(target.protocol(), target.uri(), fleet, 200, Duration.ofSeconds(60));
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            log(String.format(Locale.ROOT, "%d clients ready in %.1f s", fleet.size(), connectSeconds));
            awaitQuiet(clients);
            log(String.format(Locale.ROOT, "quiet; %,d non-measured frames received so far", clients.controlFrames()));
            result.notes.add(String.format(
                    Locale.ROOT,
                    "%d clients connected and subscribed in %.1f s; %,d other frames (handshakes, acks, join/leave"
                            + " presence events…) reached the clients by the time the first step started",
                    fleet.size(),
                    connectSeconds,
                    clients.controlFrames()));
            ladder(target, clients, result, Target.Mode.BROADCAST, settings.broadcastRates());
            ladder(target, clients, result, Target.Mode.PERSONAL, settings.personalRates());
            if (clients.lost() > 0) {
                result.notes.add(clients.lost() + " client connection(s) ended during the run (last: "
                        + clients.lossReason() + ")");
            }
        }
    }

    /** The classes whose live bytes grew most, as table rows: class, instances, bytes, bytes per connection. */
    private static List<String> topGrowth(
            java.util.Map<String, long[]> before, java.util.Map<String, long[]> after, int connections) {
        List<String> rows = new ArrayList<>();
        after.entrySet().stream()
                .map(e -> {
                    long[] was = before.getOrDefault(e.getKey(), new long[2]);
                    return new Object[] {e.getKey(), e.getValue()[0] - was[0], e.getValue()[1] - was[1]};
                })
                .sorted((a, b) -> Long.compare((long) b[2], (long) a[2]))
                .limit(15)
                .forEach(row -> rows.add(String.format(
                        Locale.ROOT,
                        "| `%s` | %+,d | %+,d | %.0f |",
                        row[0],
                        (long) row[1],
                        (long) row[2],
                        (long) row[2] / (double) connections)));
        return rows;
    }

    /**
     * Waits until no frames at all arrive for 2 s (at most 5 min): subscribing thousands of clients to a channel with
     * join/leave events makes a storm of presence frames that must be over before latencies are measured.
     */
    private static void awaitQuiet(LoadClients clients) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        long seen = clients.controlFrames() + clients.deliveries();
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            LoadClients.sleep(200);
            long now = clients.controlFrames() + clients.deliveries();
            if (now != seen) {
                seen = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince > Duration.ofSeconds(2).toNanos()) {
                return;
            }
        }
        log("frames still arriving 5 min after the clients connected; measuring anyway");
    }

    private IdleMemory idleMemory(Target target, LoadClients clients) throws Exception {
        int warmUp = Math.min(1000, settings.idleClients());
        log(target.label() + ": warm-up, " + warmUp + " idle connections opened and closed");
        clients.connectAll(target.protocol(), target.uri(), fleet(warmUp, null), 200, Duration.ofSeconds(60));
        clients.disconnectAll();
        LoadClients.sleep(3000); // the server notices the closes and drops the connections' state
        log(target.label() + ": " + ProcessMemory.establishedOnPort(target.port())
                + " established TCP connections on the server's port after the warm-up closed");
        Target.Memory before = target.memory();
        java.util.Map<String, long[]> classesBefore = target.heapHistogram();
        log(String.format(
                Locale.ROOT, "baseline: RSS %s, heap used after GC %s", mib(before.rss()), mib(before.heapUsed())));
        List<LoadClients.Client> idle = fleet(settings.idleClients(), null);
        long start = System.nanoTime();
        clients.connectAll(target.protocol(), target.uri(), idle, 200, Duration.ofSeconds(60));
        log(String.format(
                Locale.ROOT,
                "%d idle connections open in %.1f s; settling 5 s",
                idle.size(),
                (System.nanoTime() - start) / 1e9));
        LoadClients.sleep(5000); // connection-time garbage and handshake buffers settle before the reading
        int established = ProcessMemory.establishedOnPort(target.port());
        log(target.label() + ": " + established + " established TCP connections on the server's port");
        if (established < idle.size()) {
            throw new IllegalStateException(
                    "the server holds only " + established + " of " + idle.size() + " idle connections");
        }
        Target.Memory after = target.memory();
        java.util.Map<String, long[]> classesAfter = target.heapHistogram();
        IdleMemory memory =
                new IdleMemory(idle.size(), before, after, topGrowth(classesBefore, classesAfter, idle.size()));
        log(String.format(
                Locale.ROOT,
                "with %d idle connections: RSS %s (+%.1f KB/conn), heap used after GC %s (+%.1f KB/conn)",
                idle.size(),
                mib(after.rss()),
                memory.rssPerConnection() / 1024,
                mib(after.heapUsed()),
                memory.heapPerConnection() / 1024));
        if (clients.open() < idle.size()) {
            throw new IllegalStateException("only " + clients.open() + " of " + idle.size()
                    + " idle connections stayed open (" + clients.lossReason() + ")");
        }
        clients.disconnectAll();
        LoadClients.sleep(2000);
        return memory;
    }

    private void ladder(Target target, LoadClients clients, TargetResult result, Target.Mode mode, List<Double> rates)
            throws Exception {
        if (rates.isEmpty()) {
            return;
        }
        int subscribers = settings.clients();
        double warmRate = rates.get(0);
        log(target.label() + " " + mode + ": warm-up at " + Report.number(warmRate) + " events/s for 3 s (discarded)");
        Step warm = step(target, clients, mode, warmRate, Math.min(3, settings.stepSeconds()), subscribers);
        if (!warm.lossless()) {
            result.notes.add(mode + " warm-up lost deliveries: " + warm.received() + " of " + warm.expected());
        }
        for (double rate : rates) {
            Step step = step(target, clients, mode, rate, settings.stepSeconds(), subscribers);
            result.steps.add(step);
            log(String.format(
                    Locale.ROOT,
                    "%s %s %s events/s: %d/%d delivered, %.0f deliveries/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms%s",
                    target.label(),
                    mode,
                    Report.number(rate),
                    step.received(),
                    step.expected(),
                    step.deliveriesPerSecond(),
                    step.p50Ms(),
                    step.p99Ms(),
                    step.maxMs(),
                    step.failedPublishes() > 0 ? ", " + step.failedPublishes() + " publishes failed" : ""));
            if (!step.lossless() || step.p99Ms() > settings.stopP99Ms()) {
                log(target.label() + " " + mode + ": saturated, no higher rates");
                result.saturated.add(mode);
                break;
            }
            LoadClients.sleep(1000);
        }
    }

    private Step step(
            Target target, LoadClients clients, Target.Mode mode, double rate, double seconds, int subscribers)
            throws Exception {
        clients.takeLatencies(); // drop whatever arrived between steps
        long before = clients.deliveries();
        long start = System.nanoTime();
        Target.Published published =
                target.publish(mode, rate, seconds, settings.pad(), subscribers, settings.clients());
        long publishedAt = System.nanoTime();
        // drain: until everything arrived, or nothing arrived for 2 s, at most 30 s after the last publish
        long deadline = publishedAt + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            long received = clients.deliveries() - before;
            if (received >= published.expectedDeliveries()) {
                break;
            }
            long quiet = System.nanoTime() - Math.max(clients.lastDeliveryNanos(), publishedAt);
            if (quiet > Duration.ofSeconds(2).toNanos()) {
                break;
            }
            LoadClients.sleep(20);
        }
        long received = clients.deliveries() - before;
        Histogram latency = clients.takeLatencies();
        long end = Math.max(clients.lastDeliveryNanos(), start + 1);
        return new Step(
                mode,
                rate,
                published.events(),
                published.failed(),
                published.expectedDeliveries(),
                received,
                (end - start) / 1e9,
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0);
    }

    /** Clients bench-u0 … bench-u(n-1), each with a dev-secret token allowing every project. */
    private static List<LoadClients.Client> fleet(int n, String project) {
        List<LoadClients.Client> fleet = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String user = userId(i);
            fleet.add(new LoadClients.Client(
                    user, DevTokens.userToken(user, List.of("user"), List.of("*"), List.of()), project));
        }
        return fleet;
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started, List<TargetResult> results) throws Exception {
        StringBuilder out = new StringBuilder();
        out.append(
                "## realtime: realtime-service fan-out vs the Node socket.io server, memory per idle connection\n\n");
        out.append(Report.dateAndCommit(started)).append('\n');
        out.append(Report.machineLine());
        out.append(Report.commandLine(settings.commandLine()));
        out.append(Report.loadAverages(loadBefore, loadAfter))
                .append(
                        Report.busy(loadBefore)
                                ? " — **the machine was busy with other work: numbers are depressed and noisy**"
                                : "")
                .append('\n');
        if (Files.isRegularFile(settings.jar())) {
            out.append(Report.jar("realtime-service", settings.jar()))
                    .append(", run as `java ")
                    .append(String.join(" ", settings.serviceJvmOptions()))
                    .append(" -jar … ")
                    .append(String.join(" ", settings.serviceArguments()))
                    .append("`")
                    .append(
                            settings.serviceArguments().contains(NO_PROJECT_JOIN_LEAVE)
                                    ? " (join/leave events off for project: — subscribing N clients to one channel"
                                            + " would otherwise send N² presence frames first; presence stays on)"
                                    : "")
                    .append('\n');
        }
        out.append("- Baseline: ")
                .append(results.stream()
                        .filter(r -> r.key.equals("socketio") && !r.label.isEmpty())
                        .map(r -> r.label)
                        .findFirst()
                        .orElse("socket.io (npm, bench/src/main/node/package-lock.json)"))
                .append(", `bench/src/main/node/socketio-server.js`\n");
        out.append("- Goal (issue 4): realtime-service ≥ 2× socket.io's deliveries/s with p99 ≤ 50 ms;"
                + " ≤ 16 KB per idle connection.\n\n");
        out.append(method());
        out.append("### Results\n\n");
        for (TargetResult result : results) {
            if (result.problem != null) {
                out.append("**")
                        .append(result.key.equals("native") ? "realtime-service" : "socket.io")
                        .append(" was NOT (fully) measured:** ")
                        .append(Report.oneLine(result.problem))
                        .append("\n\n");
            }
        }
        for (Target.Mode mode : Target.Mode.values()) {
            out.append("#### ")
                    .append(
                            mode == Target.Mode.BROADCAST
                                    ? "One shared channel (" + settings.clients() + " subscribers of project:bench)"
                                    : "Personal channels (" + settings.clients() + " clients, one user:{id} each)")
                    .append("\n\n");
            List<List<String>> rows = new ArrayList<>();
            for (TargetResult result : results) {
                for (Step step : result.steps(mode)) {
                    rows.add(List.of(
                            result.key.equals("native") ? "realtime-service" : "socket.io",
                            Report.number(step.rate()),
                            Long.toString(step.events()),
                            step.received() + " / " + step.expected()
                                    + (step.failedPublishes() > 0
                                            ? " (" + step.failedPublishes() + " publish errors)"
                                            : ""),
                            String.format(Locale.ROOT, "%,.0f", step.deliveriesPerSecond()),
                            Report.ms(step.p50Ms()),
                            Report.ms(step.p99Ms()),
                            Report.ms(step.maxMs())));
                }
            }
            out.append(Report.table(
                    List.of(
                            "server",
                            "events/s",
                            "events",
                            "delivered / expected",
                            "deliveries/s",
                            "p50 ms",
                            "p99 ms",
                            "max ms"),
                    rows));
            out.append('\n');
        }
        out.append("#### Memory per idle connection (")
                .append(settings.idleClients())
                .append(" connections)\n\n");
        List<List<String>> memoryRows = new ArrayList<>();
        for (TargetResult result : results) {
            if (result.memory == null) {
                continue;
            }
            IdleMemory m = result.memory;
            memoryRows.add(List.of(
                    result.key.equals("native") ? "realtime-service" : "socket.io",
                    Integer.toString(m.connections()),
                    mib(m.before().rss()) + " → " + mib(m.after().rss()),
                    String.format(Locale.ROOT, "%.1f KB", m.rssPerConnection() / 1024),
                    mib(m.before().heapUsed()) + " → " + mib(m.after().heapUsed()),
                    String.format(Locale.ROOT, "%.1f KB", m.heapPerConnection() / 1024)));
        }
        out.append(Report.table(
                List.of("server", "idle connections", "RSS", "RSS / connection", "heap used", "heap / connection"),
                memoryRows));
        for (TargetResult result : results) {
            if (result.memory != null && !result.memory.topClasses().isEmpty()) {
                out.append(
                        "\nWhere realtime-service's heap grew (jcmd GC.class_histogram, after − before, top 15):\n\n");
                out.append("| class | instances | bytes | bytes / connection |\n|---|---|---|---|\n");
                result.memory.topClasses().forEach(row -> out.append(row).append('\n'));
            }
        }
        out.append("\n(KB = 1024 bytes. realtime-service heap: `jcmd GC.run` then `GC.heap_info`; node heap:"
                + " `process.memoryUsage().heapUsed` after two `global.gc()`; RSS read after the collection.)\n");
        for (TargetResult result : results) {
            for (String note : result.notes) {
                out.append("\nNote, ")
                        .append(result.key)
                        .append(": ")
                        .append(note)
                        .append('\n');
            }
        }
        out.append(verdict(results));
        return out.toString();
    }

    private String method() {
        StringBuilder out = new StringBuilder("### Method\n\n");
        out.append("Everything runs on this one machine, which has **2 cores shared by the load generator and the"
                + " server under test** (and Redis for realtime-service): absolute numbers are low and both servers"
                + " pay the same client cost; the ratio is the result. One server runs at a time.\n\n");
        out.append("- Load generator (this JVM): Reactor Netty WebSocket clients on their own "
                + settings.clientLoops()
                + " event-loop threads (no permessage-deflate). The same code speaks realtime-service's native"
                + " protocol (`/ws?token=<HS256 dev JWT>`, `projects:[\"*\"]`; `subscribe project:bench`; personal"
                + " channel `user:bench-uN` auto-subscribed) and raw Engine.IO v4 / Socket.IO v5 frames to node"
                + " (`40{token}`, `420[\"subscribe_project\",\"bench\"]` acked; `2`→`3`). Up to 200 handshakes in"
                + " flight while connecting.\n");
        out.append("- realtime-service: its jar in its own JVM with the local stack's environment (Redis). Events are"
                + " published by this JVM through the event bus's `EventPublisher` (XADD of a CloudEvent):"
                + " `deployment.log` with `data.project=bench` to `events:deployments` (→ channel project:bench) and"
                + " `notification` with `data.user_id=bench-uN` to `events:notifications` (→ user:bench-uN). The"
                + " service tails the streams and fans out: the measured path includes Redis.\n");
        out.append("- socket.io: the stock server (`transports:['websocket']`, `perMessageDeflate:false`), rooms"
                + " `project:bench` and `user:<id>`; it emits from its own timer on an HTTP trigger (no broker, no"
                + " JWT check): `io.to(room).emit('event',{type,payload})`.\n");
        out.append("- Payload: ~" + settings.pad() + " bytes of padding plus `seq` and `sent_us` (epoch µs taken just"
                + " before the XADD / the emit; both clocks are the OS wall clock read through a monotonic clock,"
                + " µs resolution). Latency = receive time − sent_us, recorded per delivery in an HdrHistogram.\n");
        out.append("- Each rate runs " + Report.number(settings.stepSeconds())
                + " s at a fixed rate (what is due is sent every"
                + " ~1–2 ms), then drains (until all expected deliveries arrived or 2 s without one)."
                + " deliveries/s = received / (last receive − step start). Broadcast rates are events/s on the"
                + " shared channel (deliveries = events × clients); personal rates are events/s spread round-robin"
                + " over the clients' personal channels. A 3 s warm-up per mode is discarded. A ladder stops at the"
                + " first step that loses deliveries or whose p99 > " + Report.number(settings.stopP99Ms()) + " ms.\n");
        out.append("- Idle memory: after a warm-up of 1,000 connections opened and closed, baseline reading; then "
                + settings.idleClients() + " idle connections (no subscribe beyond the personal channel), 5 s to"
                + " settle, second reading; per connection = delta / connections.\n\n");
        return out.toString();
    }

    private String verdict(List<TargetResult> results) {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        TargetResult nativeResult = find(results, "native");
        TargetResult socketIo = find(results, "socketio");
        for (Target.Mode mode : Target.Mode.values()) {
            String name = mode == Target.Mode.BROADCAST ? "Shared channel" : "Personal channels";
            Optional<Step> ours = nativeResult == null ? Optional.empty() : nativeResult.bestWithinGoal(mode);
            Optional<Step> theirs = socketIo == null ? Optional.empty() : socketIo.peak(mode);
            out.append("- ").append(name).append(": ");
            if (theirs.isEmpty()
                    || nativeResult == null
                    || nativeResult.steps(mode).isEmpty()) {
                out.append("not measured on both servers → **not decided**\n");
                continue;
            }
            if (ours.isEmpty()) {
                // still say how far apart the two are: peak against peak, and the best p99 each reached
                Step oursPeak = nativeResult.peak(mode).orElseThrow();
                double lowestOurs = nativeResult.steps(mode).stream()
                        .mapToDouble(Step::p99Ms)
                        .min()
                        .orElse(Double.NaN);
                double lowestTheirs = socketIo.steps(mode).stream()
                        .mapToDouble(Step::p99Ms)
                        .min()
                        .orElse(Double.NaN);
                out.append(String.format(
                        Locale.ROOT,
                        "realtime-service has no lossless step with p99 ≤ 50 ms (lowest p99 %.1f ms; socket.io's"
                                + " lowest %.1f ms) → **NOT met**. Peak against peak: %,.0f vs %,.0f deliveries/s ="
                                + " %.2f×\n",
                        lowestOurs,
                        lowestTheirs,
                        oursPeak.deliveriesPerSecond(),
                        theirs.get().deliveriesPerSecond(),
                        oursPeak.deliveriesPerSecond() / theirs.get().deliveriesPerSecond()));
                continue;
            }
            double ratio = ours.get().deliveriesPerSecond() / theirs.get().deliveriesPerSecond();
            // a ladder that never saturated only gives a lower bound for that server's capacity
            boolean oursBound = !nativeResult.saturated(mode);
            boolean theirsBound = !socketIo.saturated(mode);
            String verdict;
            if (oursBound && theirsBound) {
                verdict = "**not decided**: neither server saturated (raise the rates)";
            } else if (ratio >= GOAL_RATIO) {
                verdict = theirsBound ? "**not decided**: socket.io did not saturate (raise the rates)" : "**met**";
            } else {
                verdict = oursBound
                        ? "**not shown**: realtime-service did not saturate (raise the rates)"
                        : "**NOT met**";
            }
            out.append(String.format(
                    Locale.ROOT,
                    "realtime-service %s%,.0f deliveries/s at p99 %.1f ms (best lossless step with p99 ≤ 50 ms) vs"
                            + " socket.io's peak %s%,.0f deliveries/s (p99 %.1f ms) = %.2f× → %s\n",
                    oursBound ? "≥ " : "",
                    ours.get().deliveriesPerSecond(),
                    ours.get().p99Ms(),
                    theirsBound ? "≥ " : "",
                    theirs.get().deliveriesPerSecond(),
                    theirs.get().p99Ms(),
                    ratio,
                    verdict));
        }
        if (nativeResult != null && nativeResult.memory != null) {
            IdleMemory m = nativeResult.memory;
            double rss = m.rssPerConnection();
            double heap = m.heapPerConnection();
            out.append(String.format(
                    Locale.ROOT,
                    "- Idle connection memory: %.1f KB RSS and %.1f KB heap per connection ≤ 16 KB: %s\n",
                    rss / 1024,
                    heap / 1024,
                    Math.max(rss, heap) <= GOAL_BYTES_PER_IDLE_CONNECTION ? "**met**" : "**NOT met**"));
        } else {
            out.append("- Idle connection memory: **not measured**\n");
        }
        return out.toString();
    }

    private static TargetResult find(List<TargetResult> results, String key) {
        return results.stream().filter(r -> r.key.equals(key)).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- helpers

    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static void log(String message) {
        CommandLine.log(NAME, message);
    }
}
