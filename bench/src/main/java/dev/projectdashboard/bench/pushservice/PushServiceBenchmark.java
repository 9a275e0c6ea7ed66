package dev.projectdashboard.bench.pushservice;

import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.ServiceProcess;
import dev.projectdashboard.bench.deploynotifier.CpuUsage;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.HdrHistogram.Histogram;

/**
 * {@code bench/run push-service}: how many webhook deliveries per second push-service makes from {@code task.completed}
 * events on {@code events:tasks} to local HTTP sinks, how long an event takes from its XADD to a sink's hands, and
 * whether one endpoint that never answers slows the healthy ones down; beside the sinks' own accept rate measured in
 * the same run. Writes the {@code push-service} section of bench/REPORT.md.
 */
public final class PushServiceBenchmark {

    public static final String NAME = "push-service";
    static final String PUSH_JAR = "push-service/target/push-service-0.1.0-SNAPSHOT.jar";
    private static final String PUSH = "push-service";
    private static final double GOAL_DELIVERIES_PER_SECOND = 2000;
    private static final double GOAL_P99_RATE = 1000;
    private static final double GOAL_P99_MS = 50;
    private static final double GOAL_RATIO = 2;
    /** push-service's {@code dashboard.push.webhooks.cache-ttl} (2 s) and a margin: a registration change is seen. */
    private static final long REGISTRY_SETTLE_MS = 3000;
    /** Events published per second at most by the closed-loop step (its arrays are sized for it). */
    private static final int CLOSED_LOOP_MAX_RATE = 5000;

    private static final double CLOSED_LOOP_RAMP_SECONDS = 3;
    private static final double REFERENCE_WARM_UP_SECONDS = 5;
    private static final int IDLE_SECONDS = 10;
    /** push-service and PostgreSQL together below this many cores: nothing left over from the previous step. */
    private static final double QUIET_CORES = 0.15;

    private static final int QUIET_SECONDS = 30;
    /** The start of a step, whose worst latency is told apart (the dead sink's first timeouts fall into it). */
    static final int EARLY_SECONDS = 3;
    /** The healthy sinks' webhook timeout: push-service's own default (source 003's 30 s). */
    private static final int HEALTHY_TIMEOUT_SECONDS = 30;

    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");
    private static final String SHUTDOWN = "Commencing graceful shutdown";
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Pattern TAKEN_OVER =
            Pattern.compile("Delivery ([0-9a-f-]{36}) was taken over by another replica");
    /** A stack trace's first line: a class name ending in Exception or Error, maybe a message. */
    private static final Pattern EXCEPTION = Pattern.compile("^[a-z][\\w.$]*\\.[A-Z][\\w$]*(Exception|Error)\\b");

    public static final String USAGE =
            """
            usage: bench/run push-service [--quick] [--compare-rate 250] [--rates 250,500,750] [--window 256]
                                          [--warm-up-seconds 60] [--seconds 15] [--runs 3] [--sinks 4]
                                          [--dead-timeout 2] [--timeout-seconds 30] [--drain-seconds 60]
                                          [--sink-server netty|jdk] [--sink-threads 2] [--reference-seconds 10]
                                          [--push-jvm "-Xmx512m"]
                                          [--push-jar push-service/target/push-service-0.1.0-SNAPSHOT.jar]
                                          [--report bench/REPORT.md]
              --compare-rate: task.completed events/s of step (a), the healthy sinks alone, and of step (b), the
                              same beside the dead sink (250 events/s × 4 sinks = the goal's 1,000 deliveries/s)
              --rates:        events/s of the paced steps with the dead sink registered (--compare-rate is one)
              --window:       events the closed-loop saturation step keeps outstanding (published, not yet at
                              every healthy sink)
              --sinks:        healthy sinks (each a webhook of its own); one dead sink besides, registered with a
                              --dead-timeout s timeout
              --timeout-seconds: a delivery not at its healthy sink this long after its event's XADD is lost
              --quick:        20 s warm-up, one run of 5 s steps at 250 events/s and a 5 s saturation step, report to
                              bench/target/push-service/REPORT.md (under 2 minutes)
            """;

    record Settings(
            boolean quick,
            double compareRate,
            List<Double> rates,
            int window,
            double warmUpSeconds,
            double seconds,
            int runs,
            int sinks,
            int deadTimeout,
            Duration timeout,
            Duration drain,
            Sinks.Server sinkServer,
            int sinkThreads,
            double referenceSeconds,
            List<String> pushJvm,
            Path pushJar,
            Path report,
            Path workDir,
            String commandLine) {}

    /** What one step is. */
    enum Kind {
        WARM_UP("warm-up (discarded)"),
        HEALTHY("(a) healthy sinks only"),
        WITH_DEAD("with the dead sink"),
        SATURATION("saturation, closed loop");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * One step: what was published and what reached the healthy sinks (latencies in ms), what the dead sink got, and
     * where the cores went while publishing.
     *
     * @param rate events/s published (paced), 0 for the closed loop
     * @param window events kept outstanding (closed loop), 0 when paced
     * @param seconds the measured window (paced: the whole publication)
     * @param inWindow first arrivals at healthy sinks within the measured window
     * @param connections connections that delivered to the healthy sinks during the step, per sink
     * @param worstEarly the highest latency of the events published in the step's first {@value #EARLY_SECONDS} s
     * @param worstLater the highest latency of the events published afterwards
     * @param counts push-service's stored deliveries of the step, null when they could not be read
     */
    record Step(
            int id,
            Kind kind,
            int run,
            double rate,
            int window,
            int sinks,
            boolean dead,
            long published,
            long publishFailures,
            double seconds,
            long expected,
            long delivered,
            long inWindow,
            long lost,
            long late,
            long duplicates,
            double p50,
            double p90,
            double p99,
            double max,
            double worstEarly,
            double worstLater,
            long deadRequests,
            List<Integer> connections,
            PushDatabase.Counts counts,
            Map<String, Double> cores) {

        /** Deliveries to healthy sinks per second within the measured window. */
        double deliveredPerSecond() {
            return seconds > 0 ? inWindow / seconds : 0;
        }

        /** Deliveries per second the step asked for: events/s × healthy sinks (paced steps). */
        double offeredPerSecond() {
            return rate * sinks;
        }

        /** CPU ms a group used per delivery that reached a healthy sink within the window. */
        double cpuMsPerDelivery(String group) {
            return inWindow > 0 ? cores.getOrDefault(group, 0.0) * seconds * 1000 / inWindow : Double.NaN;
        }

        boolean lossless() {
            return lost == 0 && duplicates == 0 && publishFailures == 0;
        }

        /** Kept up: nothing lost and the deliveries/s within 5 % of those asked for. */
        boolean keptUp() {
            return lossless() && deliveredPerSecond() >= 0.95 * offeredPerSecond();
        }

        int totalConnections() {
            return connections.stream().mapToInt(Integer::intValue).sum();
        }

        String latencies() {
            return Report.ms(p50) + " / " + Report.ms(p90) + " / " + Report.ms(p99) + " / " + Report.ms(max);
        }
    }

    /** The sinks' own accept rate in one run, with the cores it took. */
    record Reference(int run, AcceptRate.Result result, Map<String, Double> cores) {

        /** CPU ms of the bench JVM (load generator and sinks) per accepted request. */
        double benchMsPerRequest() {
            return result.answered() > 0
                    ? cores.getOrDefault(CpuUsage.BENCH, 0.0) * result.seconds() * 1000 / result.answered()
                    : Double.NaN;
        }
    }

    private final Settings settings;
    private final List<Step> steps = new ArrayList<>();
    private final List<Reference> references = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<Integer, Arrivals> byStep = new ConcurrentHashMap<>();
    private final LongAdder unparsed = new LongAdder();
    private final Map<String, String> publishErrors = new ConcurrentHashMap<>();
    private final List<String> healthyIds = new ArrayList<>();
    private final Map<Integer, String> secrets = new LinkedHashMap<>();
    /** When the dead sink's webhook was deleted, HH:mm:ss UTC. */
    private final List<String> deletions = new ArrayList<>();

    private List<String> cpuGroups = List.of();
    private Map<String, Double> idle = Map.of();
    private Map<String, Long> attemptsAtEnd = Map.of();
    private Step warmUp;
    private String deadId;
    private long publishedTotal;
    private int nextStep = 1;
    private String loadBefore = "";
    private String loadAfter = "";

    PushServiceBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "push-service". Returns the exit status. */
    public static int main(String[] args) {
        return CommandLine.run(
                args, USAGE, PushServiceBenchmark::parse, settings -> new PushServiceBenchmark(settings).run());
    }

    static Settings parse(String[] args) {
        boolean quick = Arrays.asList(args).contains("--quick");
        String[] named =
                Arrays.stream(args).filter(arg -> !arg.equals("--quick")).toArray(String[]::new);
        double compareRate = 250;
        List<Double> rates = quick ? List.of(250.0) : List.of(250.0, 500.0, 750.0);
        int window = 256;
        double warmUp = quick ? 20 : 60;
        double seconds = quick ? 5 : 15;
        int runs = quick ? 1 : 3;
        int sinks = 4;
        int deadTimeout = 2;
        long timeoutSeconds = quick ? 10 : 30;
        long drainSeconds = quick ? 20 : 60;
        Sinks.Server sinkServer = Sinks.Server.NETTY;
        int sinkThreads = 2;
        double referenceSeconds = quick ? 5 : 10;
        List<String> pushJvm = List.of("-Xmx512m");
        Path pushJar = Path.of(PUSH_JAR);
        Path workDir = Path.of("bench/target/push-service");
        // a quick look must not replace the full run's section
        Path report = quick ? workDir.resolve("REPORT.md") : Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(named)) {
            String value = option.value();
            switch (option.name()) {
                case "--compare-rate" -> compareRate = Double.parseDouble(value);
                case "--rates" -> rates = CommandLine.doubles(value);
                case "--window" -> window = Integer.parseInt(value);
                case "--warm-up-seconds" -> warmUp = Double.parseDouble(value);
                case "--seconds" -> seconds = Double.parseDouble(value);
                case "--runs" -> runs = Integer.parseInt(value);
                case "--sinks" -> sinks = Integer.parseInt(value);
                case "--dead-timeout" -> deadTimeout = Integer.parseInt(value);
                case "--timeout-seconds" -> timeoutSeconds = Long.parseLong(value);
                case "--drain-seconds" -> drainSeconds = Long.parseLong(value);
                case "--sink-server" -> sinkServer = Sinks.Server.of(value);
                case "--sink-threads" -> sinkThreads = Integer.parseInt(value);
                case "--reference-seconds" -> referenceSeconds = Double.parseDouble(value);
                case "--push-jvm" -> pushJvm = CommandLine.words(value);
                case "--push-jar" -> pushJar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        // (b) is the paced step at the compare rate beside the dead sink: it is always one of the rates
        Set<Double> ladder = new TreeSet<>(rates);
        ladder.add(compareRate);
        if (ladder.stream().anyMatch(rate -> rate <= 0 || rate > CLOSED_LOOP_MAX_RATE)
                || window < 1
                || warmUp < 0
                || seconds <= 0
                || runs < 1
                || sinks < 1
                || sinks > 64
                || deadTimeout < 1
                || deadTimeout > 60
                || timeoutSeconds < 1
                || drainSeconds < timeoutSeconds
                || sinkThreads < 1
                || referenceSeconds <= 0) {
            throw new IllegalArgumentException("rates (up to " + CLOSED_LOOP_MAX_RATE + " events/s), window,"
                    + " durations, runs, sinks (1–64), threads must be positive; --dead-timeout 1–60 s;"
                    + " --drain-seconds at least --timeout-seconds");
        }
        return new Settings(
                quick,
                compareRate,
                List.copyOf(ladder),
                window,
                warmUp,
                seconds,
                runs,
                sinks,
                deadTimeout,
                Duration.ofSeconds(timeoutSeconds),
                Duration.ofSeconds(drainSeconds),
                sinkServer,
                sinkThreads,
                referenceSeconds,
                pushJvm,
                pushJar,
                report,
                workDir,
                CommandLine.typed(args));
    }

    /** Measures what it can, writes the report section, and says whether everything was measured. */
    boolean run() throws Exception {
        Instant started = Instant.now();
        loadBefore = Report.loadAverage();
        Files.createDirectories(settings.workDir());
        Path pushLog = settings.workDir().resolve("push-service.log");
        log("starting the local stack (PostgreSQL, Redis, MQTT, S3) in this JVM");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.randomPorts());
                Sinks sinks = new Sinks(settings.sinkServer(), settings.sinks(), settings.sinkThreads())) {
            sinks.listen(this::arrived);
            log(settings.sinks() + " healthy sinks ("
                    + settings.sinkServer().name().toLowerCase(Locale.ROOT) + ") at " + sinks.healthy()
                    + ", the dead one at " + sinks.dead());
            CpuUsage cpu = new CpuUsage(stack.workDir());
            Map<String, String> environment = new LinkedHashMap<>(stack.environment());
            // the development secrets and the local-run SSRF exception, whatever this shell exports
            environment.put(DevDefaults.JWT_SECRET_ENV, DevDefaults.JWT_SECRET);
            environment.put(DevDefaults.API_KEY_ENV, DevDefaults.API_KEY);
            environment.put(DevDefaults.PUSH_ENCRYPTION_KEY_ENV, DevDefaults.PUSH_ENCRYPTION_KEY);
            environment.put(DevDefaults.PUSH_ALLOWED_PRIVATE_NETWORKS_ENV, DevDefaults.PUSH_ALLOWED_PRIVATE_NETWORKS);
            int port = ServiceProcess.freePort();
            log("starting push-service: java " + String.join(" ", settings.pushJvm()) + " -jar " + settings.pushJar()
                    + " on port " + port + " (log " + pushLog + ")");
            try (ServiceProcess push = ServiceProcess.start(
                            PUSH, settings.pushJar(), settings.pushJvm(), List.of(), environment, port, pushLog);
                    TaskEvents events = new TaskEvents(stack.redisUri());
                    PushDatabase database = new PushDatabase(
                            stack.postgresJdbcUrl(), stack.postgresUsername(), stack.postgresPassword())) {
                push.awaitReady(Duration.ofSeconds(180));
                log("push-service ready (pid " + push.pid() + ")");
                cpu.watch(PUSH, push.pid());
                cpuGroups = cpu.groups();
                measure(push, events, database, sinks, cpu, pushLog);
            } catch (Exception e) {
                problem("push-service could not be measured", e);
            }
        } catch (Exception e) {
            problem("the local stack or the sinks could not be started", e);
        }
        loadAfter = Report.loadAverage();
        logFindings(pushLog);
        String section = report(started);
        Report.writeSection(settings.report(), NAME, section);
        log("report written to " + settings.report());
        System.out.println(section);
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return problems.isEmpty();
    }

    private void measure(
            ServiceProcess push, TaskEvents events, PushDatabase database, Sinks sinks, CpuUsage cpu, Path pushLog)
            throws Exception {
        WebhookApi api = new WebhookApi(push.uri(""), DevTokens.adminToken("root"));
        PushMetrics metrics = new PushMetrics(push.uri("/actuator/prometheus"));
        for (int i = 0; i < settings.sinks(); i++) {
            WebhookApi.Registered registered =
                    api.register("bench sink " + i, sinks.healthy().get(i), HEALTHY_TIMEOUT_SECONDS);
            healthyIds.add(registered.id());
            secrets.put(i, registered.secret());
        }
        log(settings.sinks() + " webhooks registered for task.completed through POST /api/v1/webhooks");
        LoadClients.sleep(REGISTRY_SETTLE_MS);
        probe(push, events, sinks);
        if (settings.warmUpSeconds() > 0) {
            // the dead sink too: run 1 then measures isolation, not the JIT compiling the timeout, breaker and
            // give-back paths for the first time (that onset is a once-per-JVM cost, noted in the report)
            deadId = api.register("bench dead sink (warm-up)", sinks.dead(), settings.deadTimeout())
                    .id();
            LoadClients.sleep(REGISTRY_SETTLE_MS);
            log("warm-up at " + Report.number(settings.compareRate()) + " events/s for "
                    + Report.number(settings.warmUpSeconds()) + " s, the dead sink registered too (discarded)");
            warmUp = paced(
                    Kind.WARM_UP, 0, settings.compareRate(), settings.warmUpSeconds(), events, sinks, cpu, database);
            log("warm-up: " + summary(warmUp));
            if (warmUp.delivered() == 0) {
                throw new IllegalStateException("no delivery reached a sink during the warm-up; push-service log"
                        + " tail:\n" + push.logTail());
            }
        }
        for (int run = 1; run <= settings.runs(); run++) {
            if (deadId != null) {
                log("deleting the dead sink's webhook (and its pending deliveries)");
                deletions.add(CLOCK.format(Instant.now()));
                api.delete(deadId);
                deadId = null;
                LoadClients.sleep(REGISTRY_SETTLE_MS);
            }
            awaitIdle(metrics, cpu);
            Step healthy =
                    paced(Kind.HEALTHY, run, settings.compareRate(), settings.seconds(), events, sinks, cpu, database);
            steps.add(healthy);
            log("run " + run + ", " + healthy.kind().label + ": " + summary(healthy));
            deadId = api.register("bench dead sink", sinks.dead(), settings.deadTimeout())
                    .id();
            log("dead sink's webhook registered (timeout " + settings.deadTimeout() + " s)");
            LoadClients.sleep(REGISTRY_SETTLE_MS);
            for (double rate : settings.rates()) {
                awaitIdle(metrics, cpu);
                Step step = paced(Kind.WITH_DEAD, run, rate, settings.seconds(), events, sinks, cpu, database);
                steps.add(step);
                log("run " + run + ", " + Report.number(rate) + " events/s " + step.kind().label + ": "
                        + summary(step));
            }
            awaitIdle(metrics, cpu);
            Step saturation = closedLoop(run, events, sinks, cpu, database);
            steps.add(saturation);
            log("run " + run + ", " + saturation.kind().label + " (" + settings.window() + " events outstanding): "
                    + summary(saturation));
            awaitIdle(metrics, cpu);
            Reference reference = reference(run, sinks, cpu, Math.max(1, saturation.totalConnections()));
            references.add(reference);
            log(String.format(
                    Locale.ROOT,
                    "run %d, sinks' own accept rate: %,.0f requests/s over %d connections (p50 %.2f ms, p99 %.2f"
                            + " ms, %d errors)",
                    run,
                    reference.result().perSecond(),
                    reference.result().connections(),
                    reference.result().p50Ms(),
                    reference.result().p99Ms(),
                    reference.result().errors()));
            if (!push.isAlive()) {
                throw new IllegalStateException("push-service exited; log tail:\n" + push.logTail());
            }
        }
        attemptsAtEnd = metrics.attempts();
        if (!settings.quick()) {
            awaitIdle(metrics, cpu);
            CpuUsage.Snapshot quiet = cpu.snapshot();
            LoadClients.sleep(IDLE_SECONDS * 1000L);
            idle = CpuUsage.cores(quiet, cpu.snapshot(), cpuGroups);
        }
        if (deadId != null) {
            notes.add(String.format(
                    Locale.ROOT,
                    "after the runs, %,d deliveries to the dead sink were pending (given back while its circuit breaker"
                            + " was open, or waiting for a retry); the dead sink received %,d requests over %,d"
                            + " connections in all",
                    database.pending(deadId),
                    sinks.deadRequests(),
                    sinks.deadConnections()));
            // with the dead sink's deliveries gone, does what the healthy sinks still miss come?
            deletions.add(CLOCK.format(Instant.now()));
            api.delete(deadId);
            deadId = null;
            long deadline = System.nanoTime()
                    + Duration.ofSeconds(settings.quick() ? 10 : 30).toNanos();
            while (System.nanoTime() < deadline
                    && allSteps().stream()
                            .anyMatch(step -> !byStep.get(step.id()).complete())) {
                LoadClients.sleep(100);
            }
            LoadClients.sleep(2000); // what the flushed deliveries log and whatever comes twice
        }
        lateArrivals();
        takenOver(database, pushLog);
        if (unparsed.sum() > 0) {
            notes.add(unparsed.sum() + " request(s) reached a healthy sink without a bench task id in the body");
        }
        if (!publishErrors.isEmpty()) {
            notes.add("publishing failed: " + publishErrors);
        }
    }

    /**
     * push-service warns "Delivery … was taken over by another replica before its outcome was stored" when an
     * attempt's outcome finds the delivery no longer leased to it; with one replica that should not happen. Looks the
     * named deliveries up while they still exist.
     */
    private void takenOver(PushDatabase database, Path log) {
        try {
            List<String> ids = new ArrayList<>();
            Map<String, Long> when = new LinkedHashMap<>();
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                var named = TAKEN_OVER.matcher(line);
                if (named.find()) {
                    ids.add(named.group(1));
                    // the log's ISO timestamp, to the second
                    when.merge(line.length() > 19 ? line.substring(11, 19) : "?", 1L, Long::sum);
                }
            }
            if (!ids.isEmpty()) {
                List<String> kinds = new ArrayList<>();
                database.describe(ids, healthyIds, deadId)
                        .forEach((kind, count) -> kinds.add(String.format(Locale.ROOT, "%,d × %s", count, kind)));
                notes.add(String.format(
                        Locale.ROOT,
                        "push-service warned %,d time(s) that a delivery \"was taken over by another replica before its"
                                + " outcome was stored\" (it runs as one replica), at %s UTC (the dead sink's webhook"
                                + " was deleted at %s); those deliveries, looked up at the end: %s",
                        ids.size(),
                        String.join(
                                ", ",
                                when.entrySet().stream()
                                        .map(entry -> entry.getKey() + " (" + entry.getValue() + ")")
                                        .toList()),
                        deletions.isEmpty() ? "no time" : String.join(", ", deletions),
                        String.join("; ", kinds)));
            }
        } catch (Exception e) {
            notes.add("the deliveries push-service warned about could not be looked up: " + e);
        }
    }

    /** A note on each step's deliveries that arrived after the bench had stopped waiting for them. */
    private void lateArrivals() {
        List<String> parts = new ArrayList<>();
        long stillMissing = 0;
        for (Step step : allSteps()) {
            Arrivals arrivals = byStep.get(step.id());
            long later = arrivals.delivered() - step.delivered();
            long twice = arrivals.duplicates() - step.duplicates();
            stillMissing += arrivals.expected() - arrivals.delivered();
            if (later > 0 || twice > 0) {
                Histogram latency = arrivals.takeLatencies();
                parts.add(String.format(
                                Locale.ROOT,
                                "%s%s: %,d",
                                stepName(step),
                                step.run() == 0 ? "" : " run " + step.run(),
                                later)
                        + (later > 0
                                ? String.format(
                                        Locale.ROOT,
                                        ", %.0f–%.0f s after their XADD",
                                        latency.getMinValue() / 1e6,
                                        latency.getMaxValue() / 1e6)
                                : "")
                        + (twice > 0 ? String.format(Locale.ROOT, ", and **%,d duplicate(s)**", twice) : ""));
            }
        }
        notes.add("deliveries to healthy sinks that arrived after the bench had stopped waiting for their step (the"
                + " dead sink's webhook, with its deliveries, is deleted before each run's (a), and once more after"
                + " the runs, then up to " + (settings.quick() ? 10 : 30) + " s for what is missing), by step: "
                + (parts.isEmpty() ? "none" : String.join("; ", parts))
                + String.format(Locale.ROOT, "; still missing at the end: %,d", stillMissing));
    }

    /** One event to every healthy sink before measuring: a wrong setting shows here, not as thousands of losses. */
    private void probe(ServiceProcess push, TaskEvents events, Sinks sinks) throws Exception {
        Arrivals probe = new Arrivals(0, 1, settings.sinks(), settings.timeout());
        byStep.put(0, probe);
        probe.publishing(0, System.nanoTime());
        events.publish(TaskIds.of(0, 0)).block(Duration.ofSeconds(10));
        publishedTotal++;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!probe.complete() && System.nanoTime() < deadline) {
            LoadClients.sleep(20);
        }
        if (!probe.complete()) {
            throw new IllegalStateException("the probe event reached " + probe.delivered() + " of " + settings.sinks()
                    + " sinks within 60 s; push-service log tail:\n" + push.logTail());
        }
        Histogram latency = probe.takeLatencies();
        Sinks.Captured first = sinks.captured();
        String signature = first.headers().getOrDefault("X-IDP-Signature", "");
        boolean signed = secrets.values().stream().anyMatch(secret -> signature.equals(sourceSignature(secret, first)));
        notes.add(String.format(
                Locale.ROOT,
                "probe: one event reached all %d sinks in %.1f ms (slowest, cold); its delivery carried `webhook-id`"
                        + " %s, `X-IDP-Signature` %s, a %,d-byte body: `%s`",
                settings.sinks(),
                latency.getMaxValue() / 1000.0,
                first.headers().getOrDefault("webhook-id", "(missing)"),
                signed ? "matching the webhook's secret" : "**not matching any registered secret**",
                first.body().length,
                Report.abbreviate(new String(first.body(), StandardCharsets.UTF_8), 400)));
        log("probe delivered to every sink; " + notes.get(notes.size() - 1));
    }

    // ---------------------------------------------------------------- steps

    /**
     * Publishes {@code rate} events/s for {@code seconds}, paced (what is due is published every ~1 ms, each stamped
     * just before its XADD), then waits for the healthy sinks' deliveries: until all arrived, until the timeout after
     * the last publication passed with nothing arriving for 5 s, or at most the drain time.
     */
    private Step paced(
            Kind kind,
            int run,
            double rate,
            double seconds,
            TaskEvents events,
            Sinks sinks,
            CpuUsage cpu,
            PushDatabase database) {
        long total = Math.round(rate * seconds);
        Arrivals arrivals = newArrivals((int) total);
        long deadBefore = sinks.deadRequests();
        sinks.resetConnections();
        CpuUsage.Snapshot from = cpu.snapshot();
        long start = System.nanoTime();
        int sent = 0;
        while (sent < total) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            long due = Math.min(total, (long) Math.floor(elapsed * rate) + 1);
            for (; sent < due; sent++) {
                publish(events, arrivals, sent, null);
            }
            LockSupport.parkNanos(1_000_000);
        }
        long sentAt = System.nanoTime();
        arrivals.closeWindow(sentAt);
        CpuUsage.Snapshot to = cpu.snapshot();
        List<Integer> connections = sinks.connections();
        long deadRequests = sinks.deadRequests() - deadBefore;
        drain(arrivals, sentAt);
        return result(
                kind, run, rate, 0, arrivals, (sentAt - start) / 1e9, deadRequests, connections, from, to, database);
    }

    /**
     * Keeps {@link Settings#window()} events outstanding (published, not yet at every healthy sink): the next event
     * is published as soon as one completes. Measures the deliveries that arrive in {@link Settings#seconds()} after a
     * ramp of {@value #CLOSED_LOOP_RAMP_SECONDS} s.
     */
    private Step closedLoop(int run, TaskEvents events, Sinks sinks, CpuUsage cpu, PushDatabase database)
            throws InterruptedException {
        int capacity = (int) (CLOSED_LOOP_MAX_RATE * (CLOSED_LOOP_RAMP_SECONDS + settings.seconds()));
        Arrivals arrivals = newArrivals(capacity);
        Semaphore outstanding = new Semaphore(settings.window());
        arrivals.completeInto(outstanding);
        long start = System.nanoTime();
        long windowStart = start + seconds(CLOSED_LOOP_RAMP_SECONDS);
        long end = windowStart + seconds(settings.seconds());
        int sent = 0;
        CpuUsage.Snapshot from = null;
        long deadBefore = 0;
        while (System.nanoTime() < end && sent < capacity) {
            if (from == null && System.nanoTime() >= windowStart) {
                from = cpu.snapshot();
                deadBefore = sinks.deadRequests();
                sinks.resetConnections();
                arrivals.openWindow(System.nanoTime());
            }
            if (outstanding.tryAcquire(1, TimeUnit.MILLISECONDS)) {
                publish(events, arrivals, sent++, outstanding);
            }
        }
        if (from == null) {
            from = cpu.snapshot();
            arrivals.openWindow(System.nanoTime());
        }
        long sentAt = System.nanoTime();
        arrivals.closeWindow(sentAt);
        CpuUsage.Snapshot to = cpu.snapshot();
        List<Integer> connections = sinks.connections();
        long deadRequests = sinks.deadRequests() - deadBefore;
        if (sent >= capacity) {
            notes.add("run " + run + ": the closed-loop step reached its " + capacity + " events before its end");
        }
        drain(arrivals, sentAt);
        return result(
                Kind.SATURATION,
                run,
                0,
                settings.window(),
                arrivals,
                (sentAt - Math.max(start, windowStart)) / 1e9,
                deadRequests,
                connections,
                from,
                to,
                database);
    }

    private Arrivals newArrivals(int capacity) {
        Arrivals arrivals = new Arrivals(nextStep++, Math.max(1, capacity), settings.sinks(), settings.timeout());
        byStep.put(arrivals.step(), arrivals);
        return arrivals;
    }

    private void publish(TaskEvents events, Arrivals arrivals, int index, Semaphore outstanding) {
        arrivals.publishing(index, System.nanoTime());
        publishedTotal++;
        events.publish(TaskIds.of(arrivals.step(), index)).subscribe(id -> {}, error -> {
            arrivals.publishFailed(index);
            publishErrors.putIfAbsent(error.getClass().getSimpleName(), String.valueOf(error.getMessage()));
            if (outstanding != null) {
                outstanding.release();
            }
        });
    }

    /** Waits for the step's deliveries: all arrived, or quiet for 5 s once the timeout passed, or the drain time. */
    private void drain(Arrivals arrivals, long sentAt) {
        long timeoutAt = sentAt + settings.timeout().toNanos();
        long deadline = sentAt + settings.drain().toNanos();
        while (!arrivals.complete() && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            long quiet = now - Math.max(arrivals.lastArrivalNanos(), sentAt);
            if (now > timeoutAt && quiet > Duration.ofSeconds(5).toNanos()) {
                break;
            }
            LoadClients.sleep(20);
        }
    }

    private Step result(
            Kind kind,
            int run,
            double rate,
            int window,
            Arrivals arrivals,
            double seconds,
            long deadRequests,
            List<Integer> connections,
            CpuUsage.Snapshot from,
            CpuUsage.Snapshot to,
            PushDatabase database) {
        Histogram latency = arrivals.takeLatencies();
        PushDatabase.Counts counts = null;
        try {
            counts = database.counts(arrivals.step(), healthyIds);
        } catch (Exception e) {
            notes.add("push.delivery could not be read after a step: " + e);
        }
        if (arrivals.unknownArrivals() > 0) {
            notes.add(arrivals.unknownArrivals() + " arrival(s) in step " + arrivals.step()
                    + " named no event the step published");
        }
        return new Step(
                arrivals.step(),
                kind,
                run,
                rate,
                window,
                settings.sinks(),
                deadId != null,
                arrivals.published(),
                arrivals.publishFailures(),
                seconds,
                arrivals.expected(),
                arrivals.delivered(),
                arrivals.deliveredInWindow(),
                arrivals.lost(),
                arrivals.late(),
                arrivals.duplicates(),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(90) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0,
                arrivals.worstMicros(0, EARLY_SECONDS) / 1000.0,
                arrivals.worstMicros(EARLY_SECONDS, Integer.MAX_VALUE) / 1000.0,
                deadRequests,
                connections,
                counts,
                CpuUsage.cores(from, to, cpuGroups));
    }

    /** The sinks' own accept rate: closed-loop POSTs of a real delivery straight to them, as many connections. */
    private Reference reference(int run, Sinks sinks, CpuUsage cpu, int connections) {
        Sinks.Captured delivery = sinks.captured();
        AtomicReference<CpuUsage.Snapshot> from = new AtomicReference<>();
        AtomicReference<CpuUsage.Snapshot> to = new AtomicReference<>();
        try (AcceptRate load = new AcceptRate(connections, 2)) {
            AcceptRate.Result result = load.run(
                    sinks.healthy(),
                    delivery.headers(),
                    delivery.body(),
                    connections,
                    Duration.ofMillis((long) (REFERENCE_WARM_UP_SECONDS * 1000)),
                    Duration.ofMillis((long) (settings.referenceSeconds() * 1000)),
                    measuring -> (measuring ? from : to).set(cpu.snapshot()));
            return new Reference(run, result, CpuUsage.cores(from.get(), to.get(), cpuGroups));
        }
    }

    /**
     * Waits until push-service's group has handled every event published (up to a minute), then until push-service
     * and PostgreSQL are quiet ({@value #QUIET_CORES} cores together over a second, up to {@value #QUIET_SECONDS} s:
     * deleting the dead sink's deliveries, and the autovacuum after it, must not run into the next step); at least
     * 2 s between steps.
     */
    private void awaitIdle(PushMetrics metrics, CpuUsage cpu) {
        LoadClients.sleep(2000);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (true) {
            long consumed = metrics.consumed();
            if (consumed < 0 || consumed >= publishedTotal) {
                break;
            }
            if (System.nanoTime() > deadline) {
                notes.add("push-service had not handled every published event a minute after a step");
                break;
            }
            LoadClients.sleep(250);
        }
        long started = System.nanoTime();
        long quietDeadline = started + Duration.ofSeconds(QUIET_SECONDS).toNanos();
        double busy = Double.NaN;
        while (System.nanoTime() < quietDeadline) {
            CpuUsage.Snapshot from = cpu.snapshot();
            LoadClients.sleep(1000);
            Map<String, Double> cores = CpuUsage.cores(from, cpu.snapshot(), cpuGroups);
            busy = cores.getOrDefault(PUSH, 0.0) + cores.getOrDefault(CpuUsage.POSTGRES, 0.0);
            if (busy < QUIET_CORES) {
                if (System.nanoTime() - started > Duration.ofSeconds(2).toNanos()) {
                    log(String.format(
                            Locale.ROOT,
                            "push-service and PostgreSQL quiet after %.0f s",
                            (System.nanoTime() - started) / 1e9));
                }
                return;
            }
        }
        notes.add(String.format(
                Locale.ROOT,
                "push-service and PostgreSQL still used %.2f cores %d s after a step; the next one started anyway",
                busy,
                QUIET_SECONDS));
    }

    /** A sink's request: which step's which event it carries. */
    private void arrived(int sink, byte[] body, long nanos) {
        long parsed = TaskIds.parse(body);
        if (parsed < 0) {
            unparsed.increment();
            return;
        }
        Arrivals arrivals = byStep.get(TaskIds.step(parsed));
        if (arrivals == null) {
            unparsed.increment();
            return;
        }
        arrivals.arrived(sink, TaskIds.index(parsed), nanos);
    }

    /** Source 003's signature: {@code sha256=} + hex HMAC-SHA256 of the body keyed with the whole secret's text. */
    static String sourceSignature(String secret, Sinks.Captured delivery) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(delivery.body()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    // ---------------------------------------------------------------- logs and problems

    /** WARN and ERROR lines of push-service's log: how many, and how often each kind of message came. */
    private void logFindings(Path log) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            Map<String, Long> kinds = logKinds(lines);
            long count = kinds.values().stream().mapToLong(Long::longValue).sum();
            if (count > 0) {
                StringBuilder note = new StringBuilder(String.format(
                        Locale.ROOT,
                        "push-service logged %,d WARN/ERROR line(s) before it was stopped (`%s`), by kind (ids,"
                                + " addresses and numbers as N):",
                        count,
                        log));
                kinds.forEach((kind, times) -> note.append(String.format(Locale.ROOT, "%n  - %,d × `", times))
                        .append(Report.abbreviate(kind, 300).replace("`", "'"))
                        .append('`'));
                notes.add(note.toString());
                log(note.toString());
            }
        } catch (IOException e) {
            notes.add("could not read " + log + ": " + e.getMessage());
        }
    }

    /**
     * The WARN and ERROR lines of a Spring Boot console log up to its graceful shutdown, counted by kind: level,
     * logger and message with ids, addresses and numbers replaced by N, and the exception on the next line when one
     * follows. At most 8 kinds, the rest counted as "other".
     */
    static Map<String, Long> logKinds(List<String> lines) {
        Map<String, Long> kinds = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.contains(SHUTDOWN)) {
                break; // what the service logs while the bench stops it is no finding
            }
            var level = WARN_OR_ERROR.matcher(line);
            if (!level.find()) {
                continue;
            }
            int dashes = line.indexOf(" --- ");
            // after the pid: "[application] [thread] logger : message"; the thread is left out too
            String message = dashes < 0
                    ? line.substring(level.end())
                    : line.substring(dashes + 5).replaceFirst("^\\[[^\\]]*\\]\\s*\\[[^\\]]*\\]\\s*", "");
            String kind = level.group(1) + " "
                    + message.replaceAll("\\s+", " ")
                            .replaceAll("\\[[0-9a-f]{8}(-\\d+)?, L:[^\\]]*\\]", "[N]")
                            .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "N")
                            .replaceAll("\\d+", "N")
                            .trim();
            for (int next = i + 1; next < lines.size() && next <= i + 2; next++) {
                String following = lines.get(next).trim();
                if (EXCEPTION.matcher(following).find()) {
                    kind += " (" + Report.abbreviate(following, 160) + ")";
                    break;
                }
                if (!following.isEmpty()) {
                    break;
                }
            }
            if (kinds.containsKey(kind) || kinds.size() < 8) {
                kinds.merge(kind, 1L, Long::sum);
            } else {
                kinds.merge("other", 1L, Long::sum);
            }
        }
        return kinds;
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
                "published %,d, delivered %,d / %,d expected (%,.0f/s in the window), lost %,d, late %,d, duplicates"
                        + " %,d, p50/p90/p99/max %s ms (worst in the first %d s %s ms, afterwards %s ms); via the"
                        + " scheduler %s; scheduler backlog %s; dead sink requests %,d; connections %s; push-service"
                        + " %.2f cores, %.2f ms CPU per delivery",
                step.published(),
                step.delivered(),
                step.expected(),
                step.deliveredPerSecond(),
                step.lost(),
                step.late(),
                step.duplicates(),
                step.latencies(),
                EARLY_SECONDS,
                Report.ms(step.worstEarly()),
                Report.ms(step.worstLater()),
                scheduled(step),
                backlog(step),
                step.deadRequests(),
                step.connections(),
                step.cores().getOrDefault(PUSH, 0.0),
                step.cpuMsPerDelivery(PUSH));
    }

    // ---------------------------------------------------------------- report

    private String report(Instant started) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append("## push-service: webhook deliveries/s and event → endpoint latency, one endpoint timing out\n\n");
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
        out.append(Report.jar(PUSH, settings.pushJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.pushJvm()))
                .append(" -jar …` with the development secrets and `PUSH_ALLOWED_PRIVATE_NETWORKS=127.0.0.0/8`,"
                        + " otherwise shipped settings (consumer group: batch 32, 16 in flight; per endpoint: bulkhead"
                        + " 32, breaker after 5 failures for 30 s; scheduler: 100 due deliveries a second)\n");
        out.append("- Goals (issue): ≥ 2,000 deliveries/s; p99 event → endpoint ≤ 50 ms at 1,000 deliveries/s (Convoy"
                + " publishes p95 127 ms at 200/s); the healthy endpoints' p99 within 2× while one endpoint times"
                + " out.\n\n");
        out.append(setupAndMethod());
        out.append("### Results\n\n");
        for (String problem : problems) {
            out.append("**Not (fully) measured:** ")
                    .append(Report.oneLine(problem))
                    .append("\n\n");
        }
        out.append("#### Paced steps and the closed-loop step\n\n");
        List<List<String>> rows = new ArrayList<>();
        for (Step step : allSteps()) {
            rows.add(row(step));
        }
        out.append(Report.table(
                List.of(
                        "step",
                        "run",
                        "events/s (deliveries/s asked)",
                        "events",
                        "delivered / expected",
                        "delivered/s",
                        "lost (late)",
                        "dup",
                        "p50 / p90 / p99 / max ms",
                        "via scheduler (still pending)",
                        "scheduler backlog after",
                        "dead sink requests",
                        "connections",
                        "push-service CPU ms / delivery"),
                rows));
        out.append("\n(delivered/s: first arrivals at the healthy sinks within the measured window / its length."
                + " lost: not at its sink within " + settings.timeout().toSeconds() + " s of the event's XADD (late:"
                + " came afterwards). via scheduler: deliveries to healthy sinks push-service stored with a later"
                + " `next_attempt_at` than their creation — given back because their endpoint's bulkhead was full, or"
                + " retried — so they waited for the 1 s scheduler instead of going out from the intake; in brackets"
                + " those still pending when the bench stopped waiting. scheduler backlog after: pending deliveries of"
                + " any step and webhook due over a second earlier and not taken yet, read then, and how long the oldest"
                + " had been due. connections: distinct client connections the healthy sinks saw in the window.)\n");
        out.append(summaries());
        out.append("\n#### Where the cores went (cores busy during each measured window)\n\n");
        List<String> header = new ArrayList<>(List.of("step", "run"));
        header.addAll(cpuGroups);
        List<List<String>> cpuRows = new ArrayList<>();
        for (Step step : allSteps()) {
            cpuRows.add(cpuRow(stepName(step), step.run() == 0 ? "–" : Integer.toString(step.run()), step.cores()));
        }
        for (Reference reference : references) {
            cpuRows.add(cpuRow("sinks' accept rate (reference)", Integer.toString(reference.run()), reference.cores()));
        }
        if (!idle.isEmpty()) {
            cpuRows.add(cpuRow("idle, " + IDLE_SECONDS + " s after the runs", "–", idle));
        }
        out.append(Report.table(header, cpuRows));
        out.append("\n(")
                .append(CpuUsage.BENCH)
                .append(": the sinks, the event publisher, the reference load generator and the local stack's idle"
                        + " in-JVM MQTT and S3 servers; ")
                .append(CpuUsage.OTHER)
                .append(": every other process on the machine; ")
                .append(CpuUsage.MACHINE)
                .append(": the sum. – = not running.)\n");
        if (!attemptsAtEnd.isEmpty()) {
            List<String> parts = new ArrayList<>();
            attemptsAtEnd.forEach((outcome, count) -> parts.add(String.format(Locale.ROOT, "%s %,d", outcome, count)));
            out.append("\npush-service's own count of attempts at the end (`")
                    .append(PushMetrics.ATTEMPTS)
                    .append("`, every webhook, warm-up included): ")
                    .append(String.join(", ", parts))
                    .append('\n');
        }
        out.append(Report.notes(notes));
        out.append(verdict());
        return out.toString();
    }

    private String summaries() {
        StringBuilder out = new StringBuilder();
        List<Step> healthy = of(Kind.HEALTHY, settings.compareRate());
        List<Step> withDead = of(Kind.WITH_DEAD, settings.compareRate());
        if (!healthy.isEmpty() || !withDead.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nHealthy endpoints at %s events/s (%,.0f deliveries/s), over %d run(s) (min / median / max):%n%n",
                    Report.number(settings.compareRate()),
                    settings.compareRate() * settings.sinks(),
                    Math.max(healthy.size(), withDead.size())));
            out.append(spread(healthy, "(a) alone: p99", Step::p99, " ms"));
            out.append(spread(withDead, "(b) beside the dead sink: p99", Step::p99, " ms"));
            out.append(spread(ratios(), "p99 ratio (b) / (a), run by run", ratio -> ratio, ""));
            out.append(spread(
                    healthy,
                    "(a) worst latency of the events of the first " + EARLY_SECONDS + " s",
                    Step::worstEarly,
                    " ms"));
            out.append(spread(healthy, "(a) worst latency of the later events", Step::worstLater, " ms"));
            out.append(spread(
                    withDead,
                    "(b) worst latency of the events of the first " + EARLY_SECONDS + " s (the dead sink's first"
                            + " timeouts)",
                    Step::worstEarly,
                    " ms"));
            out.append(spread(withDead, "(b) worst latency of the later events", Step::worstLater, " ms"));
            out.append(
                    spread(healthy, "(a) push-service CPU per delivery", step -> step.cpuMsPerDelivery(PUSH), " ms"));
            out.append(
                    spread(withDead, "(b) push-service CPU per delivery", step -> step.cpuMsPerDelivery(PUSH), " ms"));
        }
        List<Step> saturation = of(Kind.SATURATION, 0);
        if (!saturation.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "%nSaturation (closed loop, %d events outstanding, dead sink registered), over %d run(s) (min /"
                            + " median / max):%n%n",
                    settings.window(),
                    saturation.size()));
            out.append(spread(saturation, "deliveries/s to healthy sinks", Step::deliveredPerSecond, ""));
            out.append(spreadOf(
                    references.stream()
                            .mapToDouble(reference -> reference.result().perSecond())
                            .toArray(),
                    "the sinks' own accept rate (same connections, requests/s)",
                    ""));
            out.append(spreadOf(acceptRatios(), "push-service deliveries/s ÷ the sinks' accept rate, run by run", ""));
            for (String group : cpuGroups) {
                if (group.equals(CpuUsage.OTHER) || group.equals(CpuUsage.MACHINE)) {
                    continue;
                }
                out.append(
                        spread(saturation, group + " CPU per delivery", step -> step.cpuMsPerDelivery(group), " ms"));
            }
            out.append(spreadOf(
                    references.stream()
                            .mapToDouble(Reference::benchMsPerRequest)
                            .toArray(),
                    "reference: bench JVM CPU per request (load generator and sink)",
                    " ms"));
        }
        return out.toString();
    }

    private String setupAndMethod() {
        StringBuilder out = new StringBuilder("### Setup\n\n");
        out.append("Everything shares this machine's **")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores**: the bench JVM (the event publisher, the sinks, the reference load generator, and the"
                        + " local stack's in-JVM MQTT and S3 servers, idle here), push-service's JVM and the local"
                        + " stack's PostgreSQL 14 (`fsync=off`, `synchronous_commit=off`: a commit costs no disk"
                        + " flush, unlike production) and Redis processes, on loopback. Absolute numbers are those of a"
                        + " crowded box; the CPU table shows who used the cores.\n\n");
        out.append("### Method\n\n");
        out.append(String.format(
                Locale.ROOT,
                "- Sinks: %d healthy HTTP/1.1 servers on 127.0.0.1 (%s, %d event-loop threads shared, in the bench"
                        + " JVM) read each request and answer 200 with an empty body at once; each is a webhook of its"
                        + " own (`POST /api/v1/webhooks` with `DevTokens.adminToken(\"root\")`: `event_types`"
                        + " [task.completed], default template, `timeout` %d s, default retries). The **dead sink**"
                        + " (Reactor Netty) accepts the connection, reads the request and never answers; its webhook has"
                        + " `timeout` %d s, so every attempt times out and is retried (10 s, 30 s, 90 s), and after 5"
                        + " failures its circuit breaker pauses it 30 s at a time.%n",
                settings.sinks(),
                settings.sinkServer() == Sinks.Server.NETTY
                        ? "Reactor Netty"
                        : "the JDK's `com.sun.net.httpserver.HttpServer`, one dispatcher thread",
                settings.sinkThreads(),
                HEALTHY_TIMEOUT_SECONDS,
                settings.deadTimeout()));
        out.append("- Events: `task.completed` CloudEvents appended to `events:tasks` by the event bus's own"
                + " `EventPublisher` (XADD) from one pacing thread, subject `task:<id>`, data a `TaskCompleted` like"
                + " source 003's example (`result_json`, `meta_info`, no `result_files`, so no `file_url` is"
                + " presigned). The task id `T_BENCH_<step>_<n>` names the event; push-service renders it into every"
                + " body, where the sink finds it. Each event is one delivery per matching webhook: "
                + settings.sinks() + " to the healthy sinks, plus one to the dead sink while it is registered.\n");
        out.append(String.format(
                Locale.ROOT,
                "- Measured per delivery: the event's XADD (System.nanoTime just before it) → the request's body read"
                        + " at a healthy sink (same clock, same JVM; HdrHistogram): p50 / p90 / p99 / max over"
                        + " every first arrival of the step. *lost*: a delivery not at its healthy sink within %d s"
                        + " of the XADD (the bench waits until all arrived, or %d s passed with nothing for 5 s, at"
                        + " most %d s); *dup*: an event at the same healthy sink twice (one delivery per event and"
                        + " webhook, so the same `webhook-id`). CPU: utime + stime per process from /proc over the"
                        + " measured window; CPU per delivery = that CPU / the deliveries that reached a healthy sink"
                        + " in the window (the dead sink's attempts are part of the cost, not of the count).%n",
                settings.timeout().toSeconds(),
                settings.timeout().toSeconds(),
                settings.drain().toSeconds()));
        out.append(String.format(
                Locale.ROOT,
                "- Order: a probe event (signature checked), a warm-up of %s s at %s events/s with the dead sink's"
                        + " webhook registered too (JIT, failure paths included; discarded; deleted before run 1), then"
                        + " %d run(s) of: **(a)** %s events/s to the healthy sinks alone (the dead sink's webhook"
                        + " deleted, with its deliveries, before the run); **(b/c)** the dead sink's webhook registered"
                        + " afresh, then paced steps at %s events/s (the %s events/s one is (b)); the **closed-loop"
                        + " saturation step**: %d events kept outstanding (the next published when one has reached"
                        + " every healthy sink), %s s ramp then %s s measured; the **reference**. Paced steps publish"
                        + " for %s s, what is due every ~1 ms (open loop: a slow service shows as latency). Before"
                        + " each step the bench waits (2 s, up to 60 s) until push-service's consumer group has"
                        + " handled every event published, then (up to 30 s) until push-service and PostgreSQL"
                        + " together use under 0.15 cores over a second (deleting the dead sink's deliveries, and"
                        + " the autovacuum after it, would otherwise run into the next step).%n",
                Report.number(settings.warmUpSeconds()),
                Report.number(settings.compareRate()),
                settings.runs(),
                Report.number(settings.compareRate()),
                String.join(", ", settings.rates().stream().map(Report::number).toList()),
                Report.number(settings.compareRate()),
                settings.window(),
                Report.number(CLOSED_LOOP_RAMP_SECONDS),
                Report.number(settings.seconds()),
                Report.number(settings.seconds())));
        out.append(String.format(
                Locale.ROOT,
                "- Reference, each run: a load generator in the bench JVM (Reactor Netty client, 2 event-loop"
                        + " threads) POSTs the body and headers of a delivery push-service made straight to the"
                        + " healthy sinks, closed loop, over as many keep-alive connections as push-service used in"
                        + " that run's saturation step (spread over the sinks), %s s warm-up then %s s measured:"
                        + " what the sinks and one client on this machine manage without push-service, PostgreSQL or"
                        + " Redis in the way.%n",
                Report.number(REFERENCE_WARM_UP_SECONDS),
                Report.number(settings.referenceSeconds())));
        out.append("- The path measured: XADD → push-service's consumer group (XREADGROUP, 16 entries in flight) →"
                + " matching webhooks (cached) → one transaction storing the event and a delivery per webhook →"
                + " XACK → per delivery, at once: circuit breaker, bulkhead, body rendered, signed three ways"
                + " (HMAC-SHA256 ×2 with the Standard Webhooks one) → POST over the shared Reactor Netty pool →"
                + " one transaction updating the delivery and appending the push log row → `webhook.delivered` on"
                + " `events:webhooks`.\n\n");
        return out.toString();
    }

    private String verdict() {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        List<Step> saturation = of(Kind.SATURATION, 0);
        // the highest paced rate every run kept up with
        Optional<Double> bestPaced = settings.rates().stream()
                .filter(rate -> !of(Kind.WITH_DEAD, rate).isEmpty()
                        && of(Kind.WITH_DEAD, rate).stream().allMatch(Step::keptUp))
                .max(Double::compare);
        if (saturation.isEmpty()) {
            out.append("- ≥ 2,000 deliveries/s: **not measured**\n");
        } else {
            Step median = median(saturation, Step::deliveredPerSecond);
            long met = saturation.stream()
                    .filter(step -> step.deliveredPerSecond() >= GOAL_DELIVERIES_PER_SECOND)
                    .count();
            double[] ratios = acceptRatios();
            long lost = saturation.stream().mapToLong(Step::lost).sum();
            out.append(String.format(
                    Locale.ROOT,
                    "- ≥ 2,000 deliveries/s: **%s** — %d of %d runs met it; saturated (closed loop, dead sink registered):"
                            + " median %,.0f deliveries/s to the healthy sinks (runs %s), %s the sinks' own accept"
                            + " rate; %s; highest paced rate kept up with in every run (lossless, ≥ 95 %%): %s\n",
                    met == saturation.size() ? "met" : "NOT met",
                    met,
                    saturation.size(),
                    median.deliveredPerSecond(),
                    String.join(
                            " / ",
                            saturation.stream()
                                    .map(step -> String.format(Locale.ROOT, "%,.0f", step.deliveredPerSecond()))
                                    .toList()),
                    ratios.length == 0
                            ? "no reference for"
                            : String.format(
                                    Locale.ROOT,
                                    "%.2f× (median ratio; %,.0f requests/s)",
                                    medianOf(ratios),
                                    medianOf(references.stream()
                                            .mapToDouble(reference ->
                                                    reference.result().perSecond())
                                            .toArray())),
                    lost == 0
                            ? "nothing lost"
                            : String.format(
                                    Locale.ROOT,
                                    "**but %s of the healthy deliveries (%,d of %,d) were not at their sink within %d"
                                            + " s**",
                                    String.join(
                                            " / ",
                                            saturation.stream()
                                                    .map(step -> String.format(Locale.ROOT, "%,d", step.lost()))
                                                    .toList()),
                                    lost,
                                    saturation.stream()
                                            .mapToLong(Step::expected)
                                            .sum(),
                                    settings.timeout().toSeconds()),
                    bestPaced
                            .map(rate -> String.format(
                                    Locale.ROOT,
                                    "%s events/s = %,.0f deliveries/s",
                                    Report.number(rate),
                                    rate * settings.sinks()))
                            .orElse("none of the paced rates")));
        }
        double goalRate = GOAL_P99_RATE / settings.sinks();
        List<Step> atGoal = of(Kind.WITH_DEAD, goalRate);
        List<Step> atGoalHealthy = of(Kind.HEALTHY, goalRate);
        if (atGoal.isEmpty()) {
            out.append("- p99 ≤ 50 ms at 1,000 deliveries/s: **not measured** (needs a step at ")
                    .append(Report.number(goalRate))
                    .append(" events/s)\n");
        } else {
            long met = atGoal.stream()
                    .filter(step -> step.lossless() && step.p99() <= GOAL_P99_MS)
                    .count();
            out.append(String.format(
                    Locale.ROOT,
                    "- p99 ≤ 50 ms at 1,000 deliveries/s (%s events/s × %d healthy endpoints, the dead one"
                            + " registered): **%s** — %d of %d runs met it; p99 %s ms (median %s; p50 %s ms), lost %,d, dup"
                            + " %,d; without the dead one p99 %s ms\n",
                    Report.number(goalRate),
                    settings.sinks(),
                    met == atGoal.size() ? "met" : "NOT met",
                    met,
                    atGoal.size(),
                    joined(atGoal, Step::p99),
                    Report.ms(median(atGoal, Step::p99).p99()),
                    Report.ms(median(atGoal, Step::p99).p50()),
                    atGoal.stream().mapToLong(Step::lost).sum(),
                    atGoal.stream().mapToLong(Step::duplicates).sum(),
                    atGoalHealthy.isEmpty() ? "–" : joined(atGoalHealthy, Step::p99)));
        }
        double[] ratios = ratios().stream().mapToDouble(Double::doubleValue).toArray();
        if (ratios.length == 0) {
            out.append("- Healthy endpoints' p99 within 2× while one endpoint times out: **not measured**\n");
        } else {
            long met =
                    Arrays.stream(ratios).filter(ratio -> ratio <= GOAL_RATIO).count();
            out.append(String.format(
                    Locale.ROOT,
                    "- Healthy endpoints' p99 within 2× while one endpoint times out (%s events/s, (b) / (a) of the"
                            + " same run): **%s** — %d of %d runs met it; ratios %s (median %.2f)\n",
                    Report.number(settings.compareRate()),
                    met == ratios.length ? "met" : "NOT met",
                    met,
                    ratios.length,
                    String.join(
                            " / ",
                            Arrays.stream(ratios)
                                    .mapToObj(ratio -> String.format(Locale.ROOT, "%.2f", ratio))
                                    .toList()),
                    medianOf(ratios)));
        }
        return out.toString();
    }

    // ---------------------------------------------------------------- report helpers

    private List<Step> allSteps() {
        List<Step> all = new ArrayList<>();
        if (warmUp != null) {
            all.add(warmUp);
        }
        all.addAll(steps);
        return all;
    }

    private List<Step> of(Kind kind, double rate) {
        return steps.stream()
                .filter(step -> step.kind() == kind && step.rate() == rate)
                .toList();
    }

    /** p99 (b) / (a) per run that measured both. */
    private List<Double> ratios() {
        List<Double> ratios = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            int r = run;
            Optional<Step> a = of(Kind.HEALTHY, settings.compareRate()).stream()
                    .filter(step -> step.run() == r)
                    .findFirst();
            Optional<Step> b = of(Kind.WITH_DEAD, settings.compareRate()).stream()
                    .filter(step -> step.run() == r)
                    .findFirst();
            if (a.isPresent() && b.isPresent() && a.get().p99() > 0) {
                ratios.add(b.get().p99() / a.get().p99());
            }
        }
        return ratios;
    }

    /** Saturated deliveries/s ÷ the reference's requests/s, per run that measured both. */
    private double[] acceptRatios() {
        List<Double> out = new ArrayList<>();
        for (Reference reference : references) {
            of(Kind.SATURATION, 0).stream()
                    .filter(step -> step.run() == reference.run())
                    .findFirst()
                    .filter(step -> reference.result().perSecond() > 0)
                    .ifPresent(step -> out.add(
                            step.deliveredPerSecond() / reference.result().perSecond()));
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static String stepName(Step step) {
        return switch (step.kind()) {
            case WARM_UP -> "warm-up (discarded), dead sink registered";
            case HEALTHY -> "(a) healthy only, " + Report.number(step.rate()) + " events/s";
            case WITH_DEAD -> "(b/c) + dead sink, " + Report.number(step.rate()) + " events/s";
            case SATURATION -> "saturation + dead sink, " + step.window() + " outstanding";
        };
    }

    private static List<String> row(Step step) {
        return List.of(
                stepName(step),
                step.run() == 0 ? "–" : Integer.toString(step.run()),
                step.rate() > 0
                        ? String.format(Locale.ROOT, "%s (%,.0f)", Report.number(step.rate()), step.offeredPerSecond())
                        : "closed loop",
                String.format(Locale.ROOT, "%,d", step.published()),
                String.format(Locale.ROOT, "%,d / %,d", step.delivered(), step.expected()),
                String.format(Locale.ROOT, "%,.0f", step.deliveredPerSecond()),
                String.format(Locale.ROOT, "%,d (%,d)", step.lost(), step.late()),
                String.format(Locale.ROOT, "%,d", step.duplicates()),
                step.latencies(),
                scheduled(step),
                backlog(step),
                step.dead() ? String.format(Locale.ROOT, "%,d", step.deadRequests()) : "–",
                String.format(Locale.ROOT, "%d (%s)", step.totalConnections(), joinedInts(step.connections())),
                String.format(Locale.ROOT, "%.2f", step.cpuMsPerDelivery(PUSH)));
    }

    /** Healthy deliveries that waited for the scheduler, how many are still pending, how many were retried. */
    private static String scheduled(Step step) {
        PushDatabase.Counts counts = step.counts();
        if (counts == null) {
            return "?";
        }
        return String.format(Locale.ROOT, "%,d (%,d)", counts.healthyRescheduled(), counts.healthyPending())
                + (counts.healthyRetried() > 0
                        ? String.format(Locale.ROOT, ", %,d retried", counts.healthyRetried())
                        : "");
    }

    /** Deliveries of any step due over a second and not taken by the scheduler, and how long the oldest waits. */
    private static String backlog(Step step) {
        PushDatabase.Counts counts = step.counts();
        if (counts == null) {
            return "?";
        }
        return counts.overdue() == 0
                ? "0"
                : String.format(Locale.ROOT, "%,d, oldest %.0f s", counts.overdue(), counts.oldestOverdueSeconds());
    }

    private static String joinedInts(List<Integer> values) {
        return String.join("+", values.stream().map(String::valueOf).toList());
    }

    private static String joined(List<Step> steps, ToDoubleFunction<Step> value) {
        return String.join(
                " / ",
                steps.stream().map(step -> Report.ms(value.applyAsDouble(step))).toList());
    }

    private List<String> cpuRow(String name, String run, Map<String, Double> cores) {
        List<String> row = new ArrayList<>(List.of(name, run));
        for (String group : cpuGroups) {
            Double value = cores.get(group);
            row.add(value == null ? "–" : String.format(Locale.ROOT, "%.2f", value));
        }
        return row;
    }

    private static <T> String spread(List<T> runs, String what, ToDoubleFunction<T> value, String unit) {
        return spreadOf(runs.stream().mapToDouble(value).toArray(), what, unit);
    }

    /** "- what: min / median / max unit", nothing when there are no values. */
    static String spreadOf(double[] values, String what, String unit) {
        if (values.length == 0) {
            return "";
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return String.format(
                Locale.ROOT,
                "- %s: %s / %s / %s%s%n",
                what,
                format(sorted[0]),
                format(sorted[sorted.length / 2]),
                format(sorted[sorted.length - 1]),
                unit);
    }

    private static String format(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%,.0f", value) : Report.ms(value);
    }

    /** The upper median (the middle of an odd count, as the other benchmarks take it). */
    static double medianOf(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Step median(List<Step> runs, ToDoubleFunction<Step> by) {
        return runs.stream()
                .sorted((a, b) -> Double.compare(by.applyAsDouble(a), by.applyAsDouble(b)))
                .toList()
                .get(runs.size() / 2);
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    static void log(String message) {
        CommandLine.log(NAME, message);
    }
}
