package dev.projectdashboard.bench.deploynotifier;

import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.bench.LoadClients;
import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.ServiceProcess;
import dev.projectdashboard.localstack.LocalStack;
import dev.projectdashboard.localstack.LocalStackSettings;
import dev.projectdashboard.starter.DevDefaults;
import dev.projectdashboard.starter.security.DevTokens;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code bench/run deploy-notifier}: how many signed deployment webhooks deploy-notifier accepts per second, and how
 * long a webhook takes to reach a browser through realtime-service (POST → PostgreSQL → events:deployments →
 * realtime-service → WebSocket frame) at a steady rate. Writes the {@code deploy-notifier} section of bench/REPORT.md.
 */
public final class DeployNotifierBenchmark {

    public static final String NAME = "deploy-notifier";
    static final String NOTIFIER_JAR = "deploy-notifier/target/deploy-notifier-0.1.0-SNAPSHOT.jar";
    static final String REALTIME_JAR = "realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar";
    static final String PROJECT = "bench";
    private static final String NOTIFIER = "deploy-notifier";
    private static final String REALTIME = "realtime-service";
    private static final double GOAL_RATE = 1000;
    private static final double GOAL_P99_MS = 50;
    private static final int WARM_UP_CLIENTS = 8;
    /** Spring Boot's console format puts the level between the timestamp and the pid. */
    private static final Pattern WARN_OR_ERROR = Pattern.compile("^\\S+\\s+(WARN|ERROR)\\s");

    private static final String SHUTDOWN = "Commencing graceful shutdown";

    public static final String USAGE =
            """
            usage: bench/run deploy-notifier [--concurrency 1,8,32] [--warm-up-seconds 3] [--ingest-seconds 10]
                                             [--rates 250,1000,2000] [--rate-seconds 15] [--ws-clients 2]
                                             [--deployments 1] [--connections 64] [--service-warm-up-seconds 90]
                                             [--notifier-jvm "-Xmx256m"] [--realtime-jvm "-Xmx512m"]
                                             [--notifier-jar deploy-notifier/target/deploy-notifier-0.1.0-SNAPSHOT.jar]
                                             [--realtime-jar realtime-service/target/realtime-service-0.1.0-SNAPSHOT.jar]
                                             [--report bench/REPORT.md]
              --concurrency: closed-loop clients per ingest step (each posts its next webhook when answered)
              --rates:       webhooks/s posted at a steady pace while --ws-clients browsers watch project:bench
              --service-warm-up-seconds: JIT warm-up before anything is measured: deploy-notifier gets this long of
                             closed-loop posting (8 clients), the whole pipeline half as long at the first rate
              --deployments: deployment ids the webhooks rotate over (1: one run's log stream, as CI sends it)
              --connections: keep-alive connections the paced steps may open at most
            """;

    record Settings(
            List<Integer> concurrency,
            double warmUpSeconds,
            double ingestSeconds,
            List<Double> rates,
            double rateSeconds,
            int wsClients,
            int deployments,
            int connections,
            double serviceWarmUpSeconds,
            List<String> notifierJvm,
            List<String> realtimeJvm,
            Path notifierJar,
            Path realtimeJar,
            Path report,
            Path workDir,
            String commandLine) {}

    /** One closed-loop ingest step. */
    record IngestStep(
            int concurrency,
            double seconds,
            long answered,
            long accepted,
            long duplicates,
            Map<String, Long> errors,
            Map<String, String> examples,
            double p50Ms,
            double p99Ms,
            double maxMs,
            Map<String, Double> cores) {

        double acceptedPerSecond() {
            return accepted / seconds;
        }
    }

    /** One paced step: what was posted and answered, and what reached the browsers. */
    record RateStep(
            double rate,
            long sent,
            double sendSeconds,
            double answerSeconds,
            long accepted,
            long duplicates,
            Map<String, Long> errors,
            Map<String, String> examples,
            double httpP50Ms,
            double httpP99Ms,
            long expected,
            long delivered,
            double p50Ms,
            double p99Ms,
            double maxMs,
            Map<String, Double> cores) {

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Accepted webhooks per second from the first send to the last answer: the capacity when saturated. */
        double acceptedPerSecond() {
            return answerSeconds > 0 ? accepted / answerSeconds : 0;
        }

        boolean lossless() {
            return errorCount() == 0 && duplicates == 0 && accepted == sent && delivered >= expected;
        }
    }

    private final Settings settings;
    private final AtomicLong seq = new AtomicLong();
    private final List<IngestStep> ingestSteps = new ArrayList<>();
    private final List<RateStep> rateSteps = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private List<String> cpuGroups = List.of();
    private String loadBefore = "";
    private String loadAfter = "";

    DeployNotifierBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Entry point from BenchMain: {@code args[0]} is "deploy-notifier". Returns the exit status. */
    public static int main(String[] args) {
        return CommandLine.run(
                args, USAGE, DeployNotifierBenchmark::parse, settings -> new DeployNotifierBenchmark(settings).run());
    }

    static Settings parse(String[] args) {
        List<Integer> concurrency = List.of(1, 8, 32);
        double warmUp = 3;
        double ingestSeconds = 10;
        List<Double> rates = List.of(250.0, 1000.0, 2000.0);
        double rateSeconds = 15;
        int wsClients = 2;
        int deployments = 1;
        int connections = 64;
        double serviceWarmUp = 90;
        List<String> notifierJvm = List.of("-Xmx256m");
        List<String> realtimeJvm = List.of("-Xmx512m");
        Path notifierJar = Path.of(NOTIFIER_JAR);
        Path realtimeJar = Path.of(REALTIME_JAR);
        Path report = Path.of("bench/REPORT.md");
        for (CommandLine.Option option : CommandLine.options(args)) {
            String value = option.value();
            switch (option.name()) {
                case "--concurrency" -> concurrency = CommandLine.integers(value);
                case "--warm-up-seconds" -> warmUp = Double.parseDouble(value);
                case "--ingest-seconds" -> ingestSeconds = Double.parseDouble(value);
                case "--rates" -> rates = CommandLine.doubles(value);
                case "--rate-seconds" -> rateSeconds = Double.parseDouble(value);
                case "--ws-clients" -> wsClients = Integer.parseInt(value);
                case "--deployments" -> deployments = Integer.parseInt(value);
                case "--connections" -> connections = Integer.parseInt(value);
                case "--service-warm-up-seconds" -> serviceWarmUp = Double.parseDouble(value);
                case "--notifier-jvm" -> notifierJvm = CommandLine.words(value);
                case "--realtime-jvm" -> realtimeJvm = CommandLine.words(value);
                case "--notifier-jar" -> notifierJar = Path.of(value);
                case "--realtime-jar" -> realtimeJar = Path.of(value);
                case "--report" -> report = Path.of(value);
                default -> throw option.unknown();
            }
        }
        if (concurrency.stream().anyMatch(c -> c < 1)
                || rates.stream().anyMatch(r -> r <= 0)
                || warmUp < 0
                || serviceWarmUp < 0
                || ingestSeconds <= 0
                || rateSeconds <= 0
                || wsClients < 1
                || deployments < 1
                || connections < 1) {
            throw new IllegalArgumentException("concurrency, rates, durations and counts must be positive");
        }
        return new Settings(
                concurrency,
                warmUp,
                ingestSeconds,
                rates,
                rateSeconds,
                wsClients,
                deployments,
                connections,
                serviceWarmUp,
                notifierJvm,
                realtimeJvm,
                notifierJar,
                realtimeJar,
                report,
                Path.of("bench/target/deploy-notifier"),
                CommandLine.typed(args));
    }

    /** Measures what it can, writes the report section, and says whether everything was measured. */
    boolean run() throws Exception {
        Instant started = Instant.now();
        loadBefore = Report.loadAverage();
        Files.createDirectories(settings.workDir());
        Path notifierLog = settings.workDir().resolve("deploy-notifier.log");
        Path realtimeLog = settings.workDir().resolve("realtime-service.log");
        log("starting the local stack (PostgreSQL, Redis, MQTT, S3) in this JVM");
        try (LocalStack stack = LocalStack.start(LocalStackSettings.randomPorts())) {
            CpuUsage cpu = new CpuUsage(stack.workDir());
            Map<String, String> environment = new LinkedHashMap<>(stack.environment());
            // the secret the bench signs with, whatever this shell exports
            environment.put(DevDefaults.DEPLOY_WEBHOOK_SECRET_ENV, DevDefaults.DEPLOY_WEBHOOK_SECRET);
            int port = ServiceProcess.freePort();
            log("starting deploy-notifier: java " + String.join(" ", settings.notifierJvm()) + " -jar "
                    + settings.notifierJar() + " on port " + port + " (log " + notifierLog + ")");
            try (ServiceProcess notifier = ServiceProcess.start(
                    NOTIFIER,
                    settings.notifierJar(),
                    settings.notifierJvm(),
                    List.of(),
                    environment,
                    port,
                    notifierLog)) {
                notifier.awaitReady(Duration.ofSeconds(120));
                log("deploy-notifier ready (pid " + notifier.pid() + ")");
                cpu.watch(NOTIFIER, notifier.pid());
                int maxConcurrency =
                        settings.concurrency().stream().mapToInt(c -> c).max().orElse(1);
                try (WebhookSender sender = new WebhookSender(
                        notifier.uri(""),
                        DevDefaults.DEPLOY_WEBHOOK_SECRET,
                        PROJECT,
                        settings.deployments(),
                        Math.max(settings.connections(), maxConcurrency),
                        2)) {
                    probe(sender, notifier);
                    try {
                        ingestLadder(sender, cpu);
                    } catch (Exception e) {
                        problem("the ingest steps did not complete", e);
                    }
                    if (!notifier.isAlive()) {
                        throw new IllegalStateException("deploy-notifier died; log tail:\n" + notifier.logTail());
                    }
                    try {
                        browserLatency(environment, sender, cpu, realtimeLog);
                    } catch (Exception e) {
                        problem("the webhook → browser steps did not complete", e);
                    }
                }
                if (!notifier.isAlive()) {
                    problem("deploy-notifier exited during the run; log tail:\n" + notifier.logTail(), null);
                }
            } catch (Exception e) {
                problem("deploy-notifier could not be measured", e);
            }
        }
        loadAfter = Report.loadAverage();
        logFindings(NOTIFIER, notifierLog);
        logFindings(REALTIME, realtimeLog);
        String section = report(started);
        Report.writeSection(settings.report(), NAME, section);
        log("report written to " + settings.report());
        System.out.println(section);
        log("done in " + Duration.between(started, Instant.now()).toSeconds() + " s");
        return problems.isEmpty();
    }

    /** One webhook before measuring: a wrong secret or payload shows here, not as thousands of errors. */
    private void probe(WebhookSender sender, ServiceProcess notifier) {
        WebhookSender.Answer answer = sender.post(seq.getAndIncrement(), false).block(Duration.ofSeconds(60));
        if (answer == null || !answer.accepted()) {
            throw new IllegalStateException("deploy-notifier did not accept a signed webhook: " + answer
                    + "; log tail:\n" + notifier.logTail());
        }
    }

    // ---------------------------------------------------------------- 1. signed ingest rate

    private void ingestLadder(WebhookSender sender, CpuUsage cpu) throws Exception {
        if (settings.serviceWarmUpSeconds() > 0) {
            // a fresh JVM spends its first minute compiling (C2 competes with the requests for the 2 cores)
            log("JIT warm-up of deploy-notifier: " + WARM_UP_CLIENTS + " clients for "
                    + Report.number(settings.serviceWarmUpSeconds()) + " s (discarded)");
            double tail = Math.min(5, settings.serviceWarmUpSeconds());
            IngestStep warm = ingest(sender, cpu, WARM_UP_CLIENTS, settings.serviceWarmUpSeconds() - tail, tail);
            log(String.format(
                    Locale.ROOT,
                    "warm-up: %,.0f accepted/s in its last 5 s (p50 %.1f ms)",
                    warm.acceptedPerSecond(),
                    warm.p50Ms()));
            notes.add(String.format(
                    Locale.ROOT,
                    "JIT warm-up of deploy-notifier (%s s, %d clients, discarded): %,.0f accepted/s in its last 5 s.",
                    Report.number(settings.serviceWarmUpSeconds()),
                    WARM_UP_CLIENTS,
                    warm.acceptedPerSecond()));
        }
        for (int concurrency : settings.concurrency()) {
            IngestStep step = ingest(sender, cpu, concurrency, settings.warmUpSeconds(), settings.ingestSeconds());
            ingestSteps.add(step);
            log(String.format(
                    Locale.ROOT,
                    "ingest, %s: %,d accepted in %.1f s = %,.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, errors %s",
                    clients(concurrency),
                    step.accepted(),
                    step.seconds(),
                    step.acceptedPerSecond(),
                    step.p50Ms(),
                    step.p99Ms(),
                    step.maxMs(),
                    step.errors().isEmpty() ? "none" : step.errors()));
            LoadClients.sleep(1000);
        }
    }

    /**
     * {@code concurrency} clients post back to back for warm-up + measured seconds; only answers that arrive within
     * the measured window count (the ones in flight at its end are discarded).
     */
    private IngestStep ingest(
            WebhookSender sender, CpuUsage cpu, int concurrency, double warmUpSeconds, double measuredSeconds)
            throws Exception {
        log("ingest, " + clients(concurrency) + ": warm-up " + Report.number(warmUpSeconds) + " s, then "
                + Report.number(measuredSeconds) + " s measured");
        Answers measured = new Answers();
        AtomicReference<Answers> sink = new AtomicReference<>(new Answers());
        long start = System.nanoTime();
        long warmEnd = start + seconds(warmUpSeconds);
        long end = warmEnd + seconds(measuredSeconds);
        CompletableFuture<Void> running = Flux.range(0, concurrency)
                .flatMap(
                        client -> Mono.defer(() -> sender.post(seq.getAndIncrement(), false))
                                .doOnNext(answer -> sink.get().add(answer))
                                .repeat(() -> System.nanoTime() < end),
                        concurrency)
                .then()
                .toFuture();
        sleepUntil(warmEnd);
        CpuUsage.Snapshot from = cpu.snapshot();
        long measuredFrom = System.nanoTime();
        sink.set(measured);
        sleepUntil(end);
        sink.set(new Answers());
        long measuredTo = System.nanoTime();
        CpuUsage.Snapshot to = cpu.snapshot();
        try {
            running.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            running.cancel(true);
            notes.add("ingest with " + clients(concurrency) + ": requests still open 60 s after the step ended");
        }
        cpuGroups = cpu.groups();
        Histogram latency = measured.takeLatencies();
        return new IngestStep(
                concurrency,
                (measuredTo - measuredFrom) / 1e9,
                measured.answered(),
                measured.accepted(),
                measured.duplicates(),
                measured.errors(),
                measured.examples(),
                latency.getValueAtPercentile(50) / 1000.0,
                latency.getValueAtPercentile(99) / 1000.0,
                latency.getMaxValue() / 1000.0,
                CpuUsage.cores(from, to, cpuGroups));
    }

    // ---------------------------------------------------------------- 2. webhook → browser latency

    private void browserLatency(Map<String, String> environment, WebhookSender sender, CpuUsage cpu, Path log)
            throws Exception {
        int port = ServiceProcess.freePort();
        log("starting realtime-service: java " + String.join(" ", settings.realtimeJvm()) + " -jar "
                + settings.realtimeJar() + " on port " + port + " (log " + log + ")");
        try (ServiceProcess realtime = ServiceProcess.start(
                        REALTIME, settings.realtimeJar(), settings.realtimeJvm(), List.of(), environment, port, log);
                LoadClients clients = new LoadClients(1, WebhookSender::stampedMicros)) {
            realtime.awaitReady(Duration.ofSeconds(120));
            log("realtime-service ready (pid " + realtime.pid() + ")");
            cpu.watch(REALTIME, realtime.pid());
            List<LoadClients.Client> browsers = new ArrayList<>();
            for (int i = 0; i < settings.wsClients(); i++) {
                String user = "bench-browser-" + i;
                browsers.add(new LoadClients.Client(
                        user, DevTokens.userToken(user, List.of("user"), List.of("*"), List.of()), PROJECT));
            }
            clients.connectAll(
                    LoadClients.Protocol.NATIVE,
                    URI.create("ws://127.0.0.1:" + port + "/"),
                    browsers,
                    browsers.size(),
                    Duration.ofSeconds(60));
            log(browsers.size() + " WebSocket clients connected to /ws and subscribed to project:" + PROJECT);
            double warmRate = settings.rates().get(0);
            double warmSeconds = Math.max(3, settings.serviceWarmUpSeconds() / 2);
            log("warm-up of the pipeline at " + Report.number(warmRate) + " webhooks/s for "
                    + Report.number(warmSeconds) + " s (discarded)");
            RateStep warm = rateStep(sender, clients, cpu, warmRate, warmSeconds);
            if (warm.delivered() == 0) {
                throw new IllegalStateException("no webhook reached the WebSocket clients during the warm-up ("
                        + warm.accepted() + " accepted); realtime-service log tail:\n" + realtime.logTail());
            }
            String warmed = String.format(
                    Locale.ROOT,
                    "warm-up of the pipeline (%s webhooks/s for %s s, discarded): delivered %,d/%,d, webhook → browser"
                            + " p50 %.1f ms, p99 %.1f ms.",
                    Report.number(warmRate),
                    Report.number(warmSeconds),
                    warm.delivered(),
                    warm.expected(),
                    warm.p50Ms(),
                    warm.p99Ms());
            log(warmed);
            notes.add("JIT " + warmed);
            for (double rate : settings.rates()) {
                LoadClients.sleep(2000);
                RateStep step = rateStep(sender, clients, cpu, rate, settings.rateSeconds());
                rateSteps.add(step);
                log(String.format(
                        Locale.ROOT,
                        "%s webhooks/s: sent %,d in %.1f s, accepted %,d (%,.0f/s), errors %s, POST p50/p99"
                                + " %.1f/%.1f ms; delivered %,d/%,d, webhook → browser p50 %.1f ms, p99 %.1f ms,"
                                + " max %.1f ms",
                        Report.number(rate),
                        step.sent(),
                        step.sendSeconds(),
                        step.accepted(),
                        step.acceptedPerSecond(),
                        step.errors().isEmpty() ? "none" : step.errors(),
                        step.httpP50Ms(),
                        step.httpP99Ms(),
                        step.delivered(),
                        step.expected(),
                        step.p50Ms(),
                        step.p99Ms(),
                        step.maxMs()));
            }
            if (clients.lost() > 0) {
                notes.add(clients.lost() + " WebSocket connection(s) ended during the run (last: "
                        + clients.lossReason() + ")");
            }
            if (!realtime.isAlive()) {
                problem("realtime-service exited during the run; log tail:\n" + realtime.logTail(), null);
            }
        }
    }

    /**
     * Posts {@code rate} webhooks/s for {@code seconds}, paced (what is due is sent every ~1 ms, each stamped when it
     * is built), waits for every answer, then for the deliveries (until all arrived or none for 2 s).
     */
    private RateStep rateStep(WebhookSender sender, LoadClients clients, CpuUsage cpu, double rate, double seconds)
            throws InterruptedException {
        clients.takeLatencies(); // whatever arrived between steps
        long before = clients.deliveries();
        Answers answers = new Answers();
        AtomicLong answered = new AtomicLong();
        AtomicLong lastAnswer = new AtomicLong();
        long total = Math.round(rate * seconds);
        CpuUsage.Snapshot from = cpu.snapshot();
        long start = System.nanoTime();
        long sent = 0;
        while (sent < total) {
            double elapsed = (System.nanoTime() - start) / 1e9;
            long due = Math.min(total, (long) Math.floor(elapsed * rate) + 1);
            for (; sent < due; sent++) {
                sender.post(seq.getAndIncrement(), true).subscribe(answer -> {
                    answers.add(answer);
                    answered.incrementAndGet();
                    lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
                });
            }
            LockSupport.parkNanos(1_000_000);
        }
        long sentAt = System.nanoTime();
        CpuUsage.Snapshot to = cpu.snapshot();
        cpuGroups = cpu.groups();
        long answersDeadline = sentAt + Duration.ofSeconds(180).toNanos();
        while (answered.get() < total && System.nanoTime() < answersDeadline) {
            LoadClients.sleep(10);
        }
        long answeredAt = System.nanoTime();
        long expected = answers.accepted() * settings.wsClients();
        long deadline = answeredAt + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (clients.deliveries() - before >= expected) {
                break;
            }
            long quiet = System.nanoTime() - Math.max(clients.lastDeliveryNanos(), answeredAt);
            if (quiet > Duration.ofSeconds(2).toNanos()) {
                break;
            }
            LoadClients.sleep(20);
        }
        if (answered.get() < total) {
            notes.add(String.format(
                    Locale.ROOT,
                    "%s webhooks/s: %,d of %,d requests still unanswered 180 s after the last was sent",
                    Report.number(rate),
                    total - answered.get(),
                    total));
        }
        Histogram http = answers.takeLatencies();
        Histogram browser = clients.takeLatencies();
        return new RateStep(
                rate,
                total,
                (sentAt - start) / 1e9,
                (lastAnswer.get() - start) / 1e9,
                answers.accepted(),
                answers.duplicates(),
                answers.errors(),
                answers.examples(),
                http.getValueAtPercentile(50) / 1000.0,
                http.getValueAtPercentile(99) / 1000.0,
                expected,
                clients.deliveries() - before,
                browser.getValueAtPercentile(50) / 1000.0,
                browser.getValueAtPercentile(99) / 1000.0,
                browser.getMaxValue() / 1000.0,
                CpuUsage.cores(from, to, cpuGroups));
    }

    // ---------------------------------------------------------------- logs and problems

    /** WARN and ERROR lines of a service's log: how many, and the first few different ones. */
    private void logFindings(String service, Path log) {
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            long count = 0;
            Set<String> distinct = new LinkedHashSet<>();
            for (String line : lines) {
                if (line.contains(SHUTDOWN)) {
                    break; // what a service logs while the bench stops it (closed connections) is no finding
                }
                if (WARN_OR_ERROR.matcher(line).find()) {
                    count++;
                    if (distinct.size() < 5) {
                        // without the timestamp, so repeats of one message collapse
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

    // ---------------------------------------------------------------- report

    private String report(Instant started) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append("## deploy-notifier: signed webhook ingest rate, webhook → browser latency\n\n");
        out.append(Report.dateAndCommit(started)).append(" (plus the working tree's changes)\n");
        out.append(Report.machineLine());
        out.append(Report.commandLine(settings.commandLine()));
        out.append(Report.loadAveragesWarned(loadBefore, loadAfter))
                .append(String.format(
                        Locale.ROOT,
                        "; processes outside the bench used at most %.2f cores during a measured window (column"
                                + " \"%s\" below)",
                        maxOtherCores(),
                        CpuUsage.OTHER))
                .append('\n');
        out.append(Report.jar(NOTIFIER, settings.notifierJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.notifierJvm()))
                .append(" -jar …`\n");
        out.append(Report.jar(REALTIME, settings.realtimeJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.realtimeJvm()))
                .append(" -jar …` (shipped configuration)\n");
        out.append("- Goal: webhook → browser p99 ≤ 50 ms at 1,000 events/s.\n\n");
        out.append(setupAndMethod());
        out.append("### Results\n\n");
        for (String problem : problems) {
            out.append("**Not (fully) measured:** ")
                    .append(Report.oneLine(problem))
                    .append("\n\n");
        }
        out.append("#### 1. Signed ingest rate (closed loop, deploy-notifier alone)\n\n");
        List<List<String>> ingestRows = new ArrayList<>();
        for (IngestStep step : ingestSteps) {
            ingestRows.add(List.of(
                    Integer.toString(step.concurrency()),
                    String.format(Locale.ROOT, "%.1f", step.seconds()),
                    String.format(Locale.ROOT, "%,d", step.accepted()),
                    String.format(Locale.ROOT, "%,.0f", step.acceptedPerSecond()),
                    Report.ms(step.p50Ms()),
                    Report.ms(step.p99Ms()),
                    Report.ms(step.maxMs()),
                    errors(step.errors(), step.duplicates())));
        }
        out.append(Report.table(
                List.of("clients", "seconds", "accepted (202)", "accepted/s", "p50 ms", "p99 ms", "max ms", "errors"),
                ingestRows));
        out.append("\n#### 2. Webhook → browser latency (paced; realtime-service and ")
                .append(settings.wsClients())
                .append(" WebSocket clients on project:")
                .append(PROJECT)
                .append(")\n\n");
        List<List<String>> rateRows = new ArrayList<>();
        for (RateStep step : rateSteps) {
            rateRows.add(List.of(
                    Report.number(step.rate()),
                    String.format(Locale.ROOT, "%,.0f", step.sent() / step.sendSeconds()),
                    String.format(Locale.ROOT, "%,d / %,d", step.accepted(), step.sent()),
                    String.format(Locale.ROOT, "%,.0f", step.acceptedPerSecond()),
                    errors(step.errors(), step.duplicates()),
                    Report.ms(step.httpP50Ms()) + " / " + Report.ms(step.httpP99Ms()),
                    String.format(Locale.ROOT, "%,d / %,d", step.delivered(), step.expected()),
                    Report.ms(step.p50Ms()),
                    Report.ms(step.p99Ms()),
                    Report.ms(step.maxMs())));
        }
        out.append(Report.table(
                List.of(
                        "webhooks/s",
                        "sent/s",
                        "accepted / sent",
                        "accepted/s",
                        "errors",
                        "POST p50 / p99 ms",
                        "delivered / expected",
                        "p50 ms",
                        "p99 ms",
                        "max ms"),
                rateRows));
        out.append("\n#### Where the 2 cores went (cores busy during each measured window)\n\n");
        List<String> groups = cpuGroups;
        List<String> header = new ArrayList<>(List.of("step"));
        header.addAll(groups);
        List<List<String>> cpuRows = new ArrayList<>();
        for (IngestStep step : ingestSteps) {
            cpuRows.add(cpuRow("ingest, " + clients(step.concurrency()), step.cores(), groups));
        }
        for (RateStep step : rateSteps) {
            cpuRows.add(cpuRow(Report.number(step.rate()) + " webhooks/s", step.cores(), groups));
        }
        out.append(Report.table(header, cpuRows));
        out.append("\nCPU per accepted webhook (ingest steps):\n\n");
        for (IngestStep step : ingestSteps) {
            if (step.accepted() > 0) {
                out.append(String.format(
                        Locale.ROOT,
                        "- %s: deploy-notifier %.2f ms, PostgreSQL %.2f ms, Redis %.2f ms, bench JVM %.2f ms%n",
                        clients(step.concurrency()),
                        perWebhookMs(step, NOTIFIER),
                        perWebhookMs(step, CpuUsage.POSTGRES),
                        perWebhookMs(step, CpuUsage.REDIS),
                        perWebhookMs(step, CpuUsage.BENCH)));
            }
        }
        out.append("\n(")
                .append(CpuUsage.OTHER)
                .append(": every other process on the machine — other users' work, kernel threads; ")
                .append(CpuUsage.MACHINE)
                .append(": the sum. A process that ran and exited within a window is missed. – = not running.)\n");
        Map<String, String> examples = new LinkedHashMap<>();
        ingestSteps.forEach(step -> step.examples().forEach(examples::putIfAbsent));
        rateSteps.forEach(step -> step.examples().forEach(examples::putIfAbsent));
        out.append(Report.examples("First answer of each error kind:", examples));
        out.append(Report.notes(notes));
        out.append(verdict());
        return out.toString();
    }

    private String setupAndMethod() {
        StringBuilder out = new StringBuilder("### Setup\n\n");
        out.append("Everything shares this machine's **")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" cores**: the bench JVM (load generator, WebSocket clients, and the local stack's in-JVM MQTT"
                        + " and S3 servers, idle here), deploy-notifier's JVM, realtime-service's JVM, and the local"
                        + " stack's PostgreSQL 14 and Redis 6.2 server processes (started by the bench JVM on random"
                        + " loopback ports). Absolute numbers are therefore those of a crowded box; the CPU table"
                        + " shows who used the cores (from /proc: utime + stime per process over each measured"
                        + " window). PostgreSQL runs with the local stack's settings (`fsync=off`,"
                        + " `synchronous_commit=off`): a commit costs no disk flush here, unlike a production"
                        + " database. Redis appends to its AOF with `appendfsync everysec`.\n\n");
        out.append("### Method\n\n");
        out.append("- Webhooks: source-002 `log_entry` payloads for project `")
                .append(PROJECT)
                .append("` (")
                .append(
                        settings.deployments() == 1
                                ? "one deployment, `bench-run-0`, as one CI run's log stream"
                                : settings.deployments() + " deployments `bench-run-N` in turn")
                .append("), each with a sequence number in `message` (identical bodies would be stored once), signed"
                        + " `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` with the development secret,"
                        + " posted to `POST " + WebhookSender.PATH + "` by Reactor Netty's HTTP/1.1 client (keep-alive"
                        + " connections, 2 event-loop threads). Accepted = 202 with `duplicate:false`; anything else is"
                        + " an error (by status, or the exception when no answer came).\n");
        out.append("- JIT warm-up: a fresh service JVM spends its first minute compiling, and on 2 cores the"
                        + " compiler threads take CPU from the requests (C2 compilations of 100–700 ms each went on"
                        + " for over a minute under load). So deploy-notifier first gets ")
                .append(Report.number(settings.serviceWarmUpSeconds()))
                .append(" s of closed-loop posting by " + WARM_UP_CLIENTS + " clients, and the whole pipeline ")
                .append(Report.number(Math.max(3, settings.serviceWarmUpSeconds() / 2)))
                .append(" s at the first paced rate once realtime-service is up; both discarded.\n");
        out.append("- 1, ingest: for each client count, that many closed-loop clients post back to back (each the next"
                        + " webhook when the previous is answered) for ")
                .append(Report.number(settings.warmUpSeconds()))
                .append(" s of warm-up (discarded) and ")
                .append(Report.number(settings.ingestSeconds()))
                .append(" s measured; only answers arriving within the measured window count. realtime-service is not"
                        + " running yet (it starts at the stream's end afterwards), so this is deploy-notifier with"
                        + " PostgreSQL and Redis. Latency = request built → answer read.\n");
        out.append("- 2, browser latency: realtime-service (its jar, shipped configuration) tails"
                        + " `events:deployments`; ")
                .append(settings.wsClients())
                .append(" native WebSocket clients (`/ws?token=<HS256 dev JWT, projects:[\"*\"]>`, one event-loop"
                        + " thread) subscribe to `project:" + PROJECT + "`. Webhooks are posted at a steady rate for ")
                .append(Report.number(settings.rateSeconds()))
                .append(" s per step (what is due is sent every ~1 ms, not in bursts; open loop: a request waiting for"
                        + " one of at most ")
                .append(settings.connections())
                .append(" connections keeps its send time, so a saturated service shows as latency). Each message"
                        + " ends with `sent_us=<epoch µs>` taken when the request is built; a client reads it back"
                        + " from the `deployment:log` frame and records receive time − sent_us (same clock: both in"
                        + " the bench JVM). Expected deliveries = accepted webhooks × clients; after the last answer"
                        + " the bench waits until all arrived or none arrived for 2 s. accepted/s = accepted / (first"
                        + " send → last answer): below the rate, the service could not keep up. POST p50/p99 is the"
                        + " same requests' HTTP latency.\n");
        out.append("- The path measured: HTTP → HMAC check → JSON → PostgreSQL transaction (delivery, deployment,"
                + " log line, outbox) → XADD to `events:deployments` (a second transaction marks it published) → 202;"
                + " realtime-service: XREAD → sequencing Lua script (history, `rt:fanout`) → XREAD of `rt:fanout` →"
                + " WebSocket frame.\n\n");
        return out.toString();
    }

    private String verdict() {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        Optional<RateStep> goal =
                rateSteps.stream().filter(step -> step.rate() == GOAL_RATE).findFirst();
        if (goal.isEmpty()) {
            out.append("- Webhook → browser p99 ≤ 50 ms at 1,000 events/s: **not measured**\n");
            return out.toString();
        }
        RateStep step = goal.get();
        boolean met = step.lossless() && step.p99Ms() <= GOAL_P99_MS;
        out.append(String.format(
                Locale.ROOT,
                "- Webhook → browser p99 ≤ 50 ms at 1,000 events/s: **%s** — p99 %s ms (p50 %s, max %s ms), %,d / %,d"
                        + " delivered, %,d of %,d webhooks accepted%s, at %,.0f/s while sent at %,.0f/s\n",
                met ? "met" : "NOT met",
                Report.ms(step.p99Ms()),
                Report.ms(step.p50Ms()),
                Report.ms(step.maxMs()),
                step.delivered(),
                step.expected(),
                step.accepted(),
                step.sent(),
                step.errorCount() > 0 ? " (" + errors(step.errors(), step.duplicates()) + ")" : "",
                step.acceptedPerSecond(),
                step.sent() / step.sendSeconds()));
        // where the pipeline stands: the highest rate it kept pace with, and what it managed above that
        Optional<RateStep> kept = rateSteps.stream()
                .filter(s -> s.lossless() && s.acceptedPerSecond() >= 0.95 * s.rate())
                .max((a, b) -> Double.compare(a.rate(), b.rate()));
        Optional<RateStep> peak =
                rateSteps.stream().max((a, b) -> Double.compare(a.acceptedPerSecond(), b.acceptedPerSecond()));
        out.append("- Highest paced rate the pipeline kept up with (lossless, accepted/s ≥ 95 % of the rate): ")
                .append(kept.map(s -> String.format(
                                Locale.ROOT,
                                "%s webhooks/s (p50 %s ms, p99 %s ms)",
                                Report.number(s.rate()),
                                Report.ms(s.p50Ms()),
                                Report.ms(s.p99Ms())))
                        .orElse("none of the rates measured"))
                .append(peak.map(s -> String.format(
                                Locale.ROOT,
                                "; most accepted/s in any step: %,.0f (at %s webhooks/s)",
                                s.acceptedPerSecond(),
                                Report.number(s.rate())))
                        .orElse(""))
                .append('\n');
        return out.toString();
    }

    private static String clients(int count) {
        return count == 1 ? "1 client" : count + " clients";
    }

    private double maxOtherCores() {
        return Stream.concat(
                        ingestSteps.stream().map(IngestStep::cores),
                        rateSteps.stream().map(RateStep::cores))
                .mapToDouble(cores -> cores.getOrDefault(CpuUsage.OTHER, 0.0))
                .max()
                .orElse(0);
    }

    private static double perWebhookMs(IngestStep step, String group) {
        return step.cores().getOrDefault(group, 0.0) * 1000 / step.acceptedPerSecond();
    }

    private static List<String> cpuRow(String step, Map<String, Double> cores, List<String> groups) {
        List<String> row = new ArrayList<>(List.of(step));
        for (String group : groups) {
            Double value = cores.get(group);
            row.add(value == null ? "–" : String.format(Locale.ROOT, "%.2f", value));
        }
        return row;
    }

    private static String errors(Map<String, Long> errors, long duplicates) {
        List<String> parts = new ArrayList<>();
        errors.forEach((kind, count) -> parts.add(String.format(Locale.ROOT, "%,d × %s", count, kind)));
        if (duplicates > 0) {
            parts.add(duplicates + " × duplicate");
        }
        return parts.isEmpty() ? "0" : String.join(", ", parts);
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

    static void log(String message) {
        CommandLine.log(NAME, message);
    }
}
