package dev.projectdashboard.bench.gateway;

import static dev.projectdashboard.bench.gateway.GatewayBenchmark.DIRECT;
import static dev.projectdashboard.bench.gateway.GatewayBenchmark.GATEWAY;
import static dev.projectdashboard.bench.gateway.GatewayBenchmark.NGINX;

import dev.projectdashboard.bench.Report;
import dev.projectdashboard.bench.deploynotifier.CpuUsage;
import dev.projectdashboard.bench.gateway.GatewayBenchmark.MaxStep;
import dev.projectdashboard.bench.gateway.GatewayBenchmark.PacedStep;
import dev.projectdashboard.bench.gateway.GatewayBenchmark.Settings;
import dev.projectdashboard.bench.gateway.GatewayBenchmark.WsStep;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** The {@code gateway} section of bench/REPORT.md, from what {@link GatewayBenchmark} measured. */
final class GatewayReport {

    private final Settings settings;
    private final List<MaxStep> maxSteps;
    private final List<PacedStep> pacedSteps;
    private final List<WsStep> wsSteps;
    private final List<String> problems;
    private final List<String> notes;
    private final Map<String, String> versions;
    private final String loadBefore;
    private final String loadAfter;
    private final Duration took;

    GatewayReport(
            Settings settings,
            List<MaxStep> maxSteps,
            List<PacedStep> pacedSteps,
            List<WsStep> wsSteps,
            List<String> problems,
            List<String> notes,
            Map<String, String> versions,
            String loadBefore,
            String loadAfter,
            Duration took) {
        this.settings = settings;
        this.maxSteps = maxSteps;
        this.pacedSteps = pacedSteps;
        this.wsSteps = wsSteps;
        this.problems = problems;
        this.notes = notes;
        this.versions = versions;
        this.loadBefore = loadBefore;
        this.loadAfter = loadAfter;
        this.took = took;
    }

    String render(Instant started) throws InterruptedException {
        StringBuilder out = new StringBuilder();
        out.append("## gateway: a 1 KB GET through the gateway vs nginx vs direct; WebSocket fan-out through the"
                + " gateway vs direct\n\n");
        if (settings.quick()) {
            out.append("**Quick proof run (`--quick`): one short run to show the harness works — not the"
                    + " measurement.** The measurement is `bench/run gateway` on a quiet machine.\n\n");
        }
        out.append(Report.dateAndCommit(started)).append(" (plus the working tree's changes)\n");
        out.append(Report.machineLine());
        out.append(Report.commandLine(settings.commandLine()));
        out.append(Report.loadAveragesWarned(loadBefore, loadAfter))
                .append(String.format(
                        Locale.ROOT,
                        "; processes outside the bench used at most %.2f cores during a measured window; the run took"
                                + " %d min %d s\n",
                        maxOtherCores(),
                        took.toMinutes(),
                        took.toSecondsPart()));
        out.append(Report.jar(GATEWAY, settings.gatewayJar()))
                .append(", run as `java ")
                .append(String.join(" ", settings.gatewayJvm()))
                .append(" -jar …` with `DEPLOY_NOTIFIER_URL` = the stub, `REALTIME_SERVICE_URL` = realtime-service,"
                        + " `REDIS_URL` = the local stack's Redis (the rate limits' token buckets) and the rate limits"
                        + " raised out of the way: ");
        List<String> raised = new ArrayList<>();
        GatewayBenchmark.RATE_LIMITS_RAISED.forEach((name, value) -> raised.add("`" + name + "=" + value + "`"));
        out.append(String.join(", ", raised))
                .append(" (the bench is one user and one address sending thousands of requests per second); otherwise"
                        + " the shipped settings\n");
        if (settings.wsClients() > 0) {
            out.append(Report.jar("realtime-service", settings.realtimeJar()))
                    .append(", run as `java ")
                    .append(String.join(" ", settings.realtimeJvm()))
                    .append(" -jar … ")
                    .append(GatewayBenchmark.NO_PROJECT_JOIN_LEAVE)
                    .append("` (no join/leave frames for project channels, as in the realtime benchmark)\n");
        }
        versions.forEach((name, version) ->
                out.append("- ").append(name).append(": ").append(version).append('\n'));
        out.append("- Goals (issue 14): the gateway's requests/s ≥ 75 % of nginx's; latency it adds (p99 through the"
                + " gateway − p99 direct) ≤ 2 ms at half load.\n\n");
        out.append(setupAndMethod());
        out.append("### Results\n\n");
        for (String problem : problems) {
            out.append("**Not (fully) measured:** ")
                    .append(Report.oneLine(problem))
                    .append("\n\n");
        }
        out.append(maxTable());
        out.append(pacedTables());
        out.append(wsTable());
        out.append(Report.notes(notes));
        out.append(verdict());
        return out.toString();
    }

    private String setupAndMethod() {
        int cores = Runtime.getRuntime().availableProcessors();
        StringBuilder out = new StringBuilder("### Setup\n\n");
        out.append("Everything runs on this machine's **")
                .append(cores)
                .append(" cores**, on loopback: the bench JVM (the open-loop load generator, the WebSocket clients, the"
                        + " event publisher and the local stack's in-JVM servers, idle here), wrk, the upstream stub's"
                        + " JVM, nginx (master and ")
                .append(settings.nginxWorkers())
                .append(" workers), the gateway's JVM, realtime-service's JVM (WebSocket part only) and the local"
                        + " stack's Redis. Load generator and targets share the cores, so absolute rates are those of a"
                        + " crowded box; the comparison is within one run, where all three targets pay the same.\n\n");
        out.append("- Upstream: a stub (Reactor Netty, JVM of its own) answering `GET ")
                .append(UpstreamStub.PATH)
                .append("` with the same 1 KB JSON body (1,024 bytes, `Content-Length`) and 404 to any other path.\n");
        out.append("- Targets, each answering the same request with the stub's body: **direct** =")
                .append(" `GET " + UpstreamStub.PATH + "` to the stub; **nginx** = `GET ")
                .append(GatewayBenchmark.PUBLIC_PATH)
                .append("` to Debian's nginx (`worker_processes ")
                .append(settings.nginxWorkers())
                .append("` — the machine's processors, as Reactor Netty sizes the gateway's event loops; `access_log"
                        + " off`; `proxy_pass` to an `upstream` with `keepalive ")
                .append(settings.connections())
                .append(
                        "`, HTTP/1.1 with `Connection: \"\"`; the prefix stripped and `X-Forwarded-For/Proto/Host/Prefix`"
                                + " set, as the gateway does; the generated config is `bench/target/gateway/nginx/nginx.conf`);"
                                + " **gateway** = the same path to the gateway (route `deploy-notifier`, prefix stripped).\n");
        out.append("- Every request to every target carries `Authorization: Bearer <HS256 dev JWT>` (one user): the"
                + " route is an API route, where the gateway verifies the JWT (and, with rate limits, asks Redis for"
                + " the user's token bucket). That is the gateway's real work for the dashboard's API calls; nginx and"
                + " the stub just pass the header on. So the comparison is the gateway as it is configured against a"
                + " plain reverse proxy, not like for like work.\n\n");
        out.append("### Method\n\n");
        out.append("- JIT warm-up first (discarded): wrk through the gateway for ")
                .append(Report.number(settings.warmUpSeconds()))
                .append(" s (which warms the stub too), then direct and nginx ")
                .append(Report.number(Math.max(3, settings.warmUpSeconds() / 6)))
                .append(" s each.\n");
        out.append("- Then ")
                .append(settings.runs())
                .append(" run(s); each measures the three targets one after the other, the order rotated from run to"
                        + " run (1: direct, nginx, gateway; 2: nginx, gateway, direct; …) so that a drifting machine"
                        + " does not favour one.\n");
        out.append("- 1, maximum rate (closed loop): `wrk -t ")
                .append(settings.wrkThreads())
                .append(" -c ")
                .append(settings.connections())
                .append(" -d ")
                .append(settings.maxSeconds())
                .append("s` per target; requests/s is wrk's count / duration; its latencies are those of a saturated"
                        + " target (closed loop). Errors: wrk's connect/read/write/timeout errors and non-2xx answers;"
                        + " bytes per answer checks the answers were the 1 KB body.\n");
        out.append("- 2, latency at a constant rate (open loop): the bench's own generator (`PacedHttpLoad`, Netty"
                        + " epoll, one thread, a pool of ")
                .append(settings.pacedConnections())
                .append(" kept-alive connections, the most recently freed used first) sends request i at start + i /"
                        + " rate whatever became of the earlier ones, and measures each latency from that intended"
                        + " time (no coordinated omission: a stall shows as latency). The rate is ")
                .append(Report.number(settings.loadFraction() * 100))
                .append(" % of nginx's maximum in the same run, the same for all three targets, for ")
                .append(Report.number(settings.pacedSeconds()))
                .append(" s each; when the gateway's own maximum is below it (it would only queue), the three are"
                        + " measured once more at ")
                .append(Report.number(settings.loadFraction() * 100))
                .append(" % of the gateway's maximum. Right = 200 with the 1,024-byte body; requests unanswered 10 s"
                        + " after the last was due count as such, with the time they had waited as their latency."
                        + " Added = p(target) − p(direct) of the same run. \"Generator late\" is the generator's own lag"
                        + " (actual − intended send time, p99) for the requests that found a free connection; \"waited"
                        + " for a connection\" counts those that found all of them busy (the target was behind).\n");
        out.append("- CPU per request: utime + stime of each process from /proc over the middle of each step (1 s in"
                + " to 1 s before the end for wrk; 1 s in to 0.5 s before the last request was due for the paced"
                + " steps), as cores busy / requests per second. nginx = master + workers; Redis = the local stack's;"
                + " bench JVM = the open-loop generator (wrk does the closed loop). Redis commands per request ="
                + " Redis's `total_commands_processed` over the wrk run / requests.\n");
        if (settings.wsClients() > 0) {
            out.append("- 3, WebSocket fan-out: realtime-service (its jar) with ")
                    .append(String.format(Locale.ROOT, "%,d", settings.wsClients()))
                    .append(" native WebSocket clients connected directly (`ws://…/ws?token=`) subscribed to"
                            + " `project:bench-direct`, and as many through the gateway"
                            + " (`ws://…/project-dashboard/ws?token=`) subscribed to `project:bench-gateway` (each"
                            + " client its own user and JWT; Reactor Netty clients on 2 event-loop threads per fleet)."
                            + " `deployment.log` events go to `events:deployments` through the event bus's publisher"
                            + " (XADD) at each rate (")
                    .append(String.join(
                            ", ",
                            settings.wsRates().stream().map(Report::number).toList()))
                    .append(" events/s, deliveries/s = rate × clients) for ")
                    .append(Report.number(settings.wsSeconds()))
                    .append(" s to one fleet's project, then the other's (order rotated per run); latency = receive"
                            + " time − `sent_us` taken before the XADD (same clock). Expected deliveries = events × the clients still"
                            + " connected when the step starts (a saturated step can cost connections). A step ends when all expected"
                            + " deliveries arrived or none for 2 s; deliveries/s = received / (first publish → last"
                            + " receive). A fleet stops climbing at its first step that loses deliveries or has p99 >"
                            + " 1 s. A warm-up step per fleet is discarded.\n");
        }
        out.append('\n');
        return out.toString();
    }

    private String maxTable() {
        StringBuilder out = new StringBuilder("#### 1. Maximum rate (closed loop, wrk, ")
                .append(settings.connections())
                .append(" connections)\n\n");
        if (maxSteps.isEmpty()) {
            return out.append("Not measured.\n\n").toString();
        }
        Set<String> groups = groups(maxSteps.stream().map(MaxStep::cores));
        List<String> cpuGroups = GatewayBenchmark.cpuColumns(groups).stream()
                .filter(group -> !group.equals(CpuUsage.OTHER)
                        && !group.equals(CpuUsage.MACHINE)
                        && !group.equals(CpuUsage.POSTGRES)
                        && !group.equals("realtime-service"))
                .toList();
        List<String> header = new ArrayList<>(List.of(
                "run",
                "target",
                "requests/s",
                "vs nginx",
                "p50 / p99 ms (closed loop)",
                "errors",
                "bytes / answer",
                "Redis commands / request"));
        cpuGroups.forEach(group -> header.add("CPU ms / request: " + group));
        List<List<String>> rows = new ArrayList<>();
        for (MaxStep step : maxSteps) {
            List<String> row = new ArrayList<>(List.of(
                    Integer.toString(step.run()),
                    step.target(),
                    String.format(Locale.ROOT, "%,.0f", step.wrk().requestsPerSecond()),
                    GatewayBenchmark.find(maxSteps, step.run(), NGINX)
                            .map(nginx -> Spread.percent(
                                    step.wrk().requestsPerSecond() / nginx.wrk().requestsPerSecond()))
                            .orElse("–"),
                    Report.ms(step.wrk().p50Ms()) + " / " + Report.ms(step.wrk().p99Ms()),
                    step.wrk().errorSummary(),
                    String.format(Locale.ROOT, "%.0f", step.wrk().bytesPerRequest()),
                    String.format(Locale.ROOT, "%.2f", step.redisCommandsPerRequest())));
            cpuGroups.forEach(group -> row.add(cpuMs(step.cpuMsPerRequest(group))));
            rows.add(row);
        }
        out.append(Report.table(header, rows));
        out.append("\nOver ").append(settings.runs()).append(" run(s) (min / median / max):\n\n");
        for (String target : GatewayBenchmark.TARGETS) {
            out.append(spreadLine(
                    target + " requests/s",
                    Spread.of(maxSteps.stream()
                            .filter(step -> step.target().equals(target))
                            .map(step -> step.wrk().requestsPerSecond())
                            .toList()),
                    value -> String.format(Locale.ROOT, "%,.0f", value)));
        }
        out.append(spreadLine("gateway / nginx requests/s", Spread.of(ratios()), Spread::percent));
        out.append(spreadLine("nginx / direct requests/s", Spread.of(ratios(NGINX, DIRECT)), Spread::percent));
        out.append('\n');
        return out.toString();
    }

    private List<Double> ratios() {
        return ratios(GATEWAY, NGINX);
    }

    private List<Double> ratios(String numerator, String denominator) {
        List<Double> ratios = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            Optional<MaxStep> top = GatewayBenchmark.find(maxSteps, run, numerator);
            Optional<MaxStep> bottom = GatewayBenchmark.find(maxSteps, run, denominator);
            if (top.isPresent() && bottom.isPresent() && bottom.get().wrk().requestsPerSecond() > 0) {
                ratios.add(
                        top.get().wrk().requestsPerSecond() / bottom.get().wrk().requestsPerSecond());
            }
        }
        return ratios;
    }

    private String pacedTables() {
        StringBuilder out = new StringBuilder("#### 2. Latency at a constant rate (open loop)\n\n");
        if (pacedSteps.isEmpty()) {
            return out.append("Not measured.\n\n").toString();
        }
        Set<String> groups = groups(pacedSteps.stream().map(PacedStep::cores));
        List<String> cpuGroups = GatewayBenchmark.cpuColumns(groups).stream()
                .filter(group -> !group.equals(CpuUsage.OTHER)
                        && !group.equals(CpuUsage.MACHINE)
                        && !group.equals(CpuUsage.POSTGRES)
                        && !group.equals("wrk")
                        && !group.equals("realtime-service"))
                .toList();
        for (String rateName : List.of(GatewayBenchmark.HALF_NGINX, GatewayBenchmark.HALF_GATEWAY)) {
            List<PacedStep> steps = pacedSteps.stream()
                    .filter(step -> step.rateName().equals(rateName))
                    .toList();
            if (steps.isEmpty()) {
                continue;
            }
            out.append("At ").append(rateName).append(":\n\n");
            List<String> header = new ArrayList<>(List.of(
                    "run",
                    "target",
                    "rate /s",
                    "right / sent",
                    "errors",
                    "p50 ms",
                    "p99 ms",
                    "max ms",
                    "added p50 / p99 ms",
                    "generator late p99 ms",
                    "waited for a connection",
                    "connections used"));
            cpuGroups.forEach(group -> header.add("CPU ms / request: " + group));
            List<List<String>> rows = new ArrayList<>();
            for (PacedStep step : steps) {
                PacedHttpLoad.Result result = step.result();
                Optional<PacedStep> direct = GatewayBenchmark.find(pacedSteps, step.run(), DIRECT, rateName);
                String added = step.target().equals(DIRECT) || direct.isEmpty()
                        ? "–"
                        : signedMs(result.p50Ms() - direct.get().result().p50Ms()) + " / "
                                + signedMs(
                                        result.p99Ms() - direct.get().result().p99Ms());
                List<String> row = new ArrayList<>(List.of(
                        Integer.toString(step.run()),
                        step.target(),
                        String.format(Locale.ROOT, "%,.0f", result.rate()),
                        String.format(Locale.ROOT, "%,d / %,d", result.ok(), result.requests()),
                        result.errorSummary(),
                        Report.ms(result.p50Ms()),
                        Report.ms(result.p99Ms()),
                        Report.ms(result.maxMs()),
                        added,
                        Report.ms(result.sendLagP99Ms()),
                        String.format(Locale.ROOT, "%,d", result.waitedForConnection()),
                        Integer.toString(result.connectionsUsed())));
                cpuGroups.forEach(group -> row.add(cpuMs(step.cpuMsPerRequest(group))));
                rows.add(row);
            }
            out.append(Report.table(header, rows));
            out.append("\nOver ").append(settings.runs()).append(" run(s) (min / median / max):\n\n");
            for (String target : List.of(GATEWAY, NGINX)) {
                out.append(spreadLine(
                        target + " added p50", Spread.of(added(target, rateName, false)), GatewayReport::signedMs));
                out.append(spreadLine(
                        target + " added p99", Spread.of(added(target, rateName, true)), GatewayReport::signedMs));
            }
            out.append(spreadLine(
                    "gateway CPU ms / request (gateway + Redis)",
                    Spread.of(steps.stream()
                            .filter(step -> step.target().equals(GATEWAY))
                            .map(step -> step.cpuMsPerRequest(GATEWAY) + step.cpuMsPerRequest(CpuUsage.REDIS))
                            .toList()),
                    GatewayReport::cpuMs));
            out.append(spreadLine(
                    "nginx CPU ms / request",
                    Spread.of(steps.stream()
                            .filter(step -> step.target().equals(NGINX))
                            .map(step -> step.cpuMsPerRequest(NGINX))
                            .toList()),
                    GatewayReport::cpuMs));
            out.append('\n');
        }
        return out.toString();
    }

    /** Added p50 or p99 of a target over direct, per run that measured both cleanly enough to compare. */
    List<Double> added(String target, String rateName, boolean p99) {
        List<Double> values = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            Optional<PacedStep> step = GatewayBenchmark.find(pacedSteps, run, target, rateName);
            Optional<PacedStep> direct = GatewayBenchmark.find(pacedSteps, run, DIRECT, rateName);
            if (step.isPresent() && direct.isPresent()) {
                values.add(addedMs(step.get().result(), direct.get().result(), p99));
            }
        }
        return values;
    }

    static double addedMs(PacedHttpLoad.Result target, PacedHttpLoad.Result direct, boolean p99) {
        return p99 ? target.p99Ms() - direct.p99Ms() : target.p50Ms() - direct.p50Ms();
    }

    private String wsTable() {
        if (settings.wsClients() == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder("#### 3. WebSocket fan-out, ")
                .append(String.format(Locale.ROOT, "%,d", settings.wsClients()))
                .append(" clients per target\n\n");
        if (wsSteps.isEmpty()) {
            return out.append("Not measured.\n\n").toString();
        }
        List<List<String>> rows = new ArrayList<>();
        for (WsStep step : wsSteps) {
            Optional<WsStep> direct = wsFind(step.run(), DIRECT, step.rate());
            rows.add(List.of(
                    Integer.toString(step.run()),
                    Report.number(step.rate()),
                    step.target(),
                    String.format(Locale.ROOT, "%,d", step.clients()),
                    String.format(Locale.ROOT, "%,d / %,d", step.received(), step.expected())
                            + (step.failed() > 0 ? " (" + step.failed() + " XADD failed)" : ""),
                    String.format(Locale.ROOT, "%,.0f", step.deliveriesPerSecond()),
                    Report.ms(step.p50Ms()),
                    Report.ms(step.p99Ms()),
                    Report.ms(step.maxMs()),
                    step.target().equals(DIRECT) || direct.isEmpty()
                            ? "–"
                            : signedMs(step.p99Ms() - direct.get().p99Ms()),
                    cpuMs(step.cpuMsPer1000(GATEWAY)),
                    cpuMs(step.cpuMsPer1000("realtime-service")),
                    cpuMs(step.cpuMsPer1000(CpuUsage.REDIS)),
                    cpuMs(step.cpuMsPer1000(CpuUsage.BENCH))));
        }
        out.append(Report.table(
                List.of(
                        "run",
                        "events/s",
                        "target",
                        "clients connected",
                        "delivered / expected",
                        "deliveries/s",
                        "p50 ms",
                        "p99 ms",
                        "max ms",
                        "added p99 ms",
                        "CPU ms / 1,000 deliveries: gateway",
                        "realtime-service",
                        "Redis",
                        "bench JVM (clients)"),
                rows));
        out.append('\n');
        return out.toString();
    }

    private Optional<WsStep> wsFind(int run, String target, double rate) {
        return wsSteps.stream()
                .filter(step -> step.run() == run && step.target().equals(target) && step.rate() == rate)
                .findFirst();
    }

    // ---------------------------------------------------------------- verdict

    private String verdict() {
        StringBuilder out = new StringBuilder("\n### Verdict\n\n");
        List<Double> ratios = ratios();
        if (ratios.isEmpty()) {
            out.append("- Gateway requests/s ≥ 75 % of nginx's: **not measured**\n");
        } else {
            long met = 0;
            for (int run = 1; run <= settings.runs(); run++) {
                Optional<MaxStep> gateway = GatewayBenchmark.find(maxSteps, run, GATEWAY);
                Optional<MaxStep> nginx = GatewayBenchmark.find(maxSteps, run, NGINX);
                if (gateway.isPresent()
                        && nginx.isPresent()
                        && ratioMet(gateway.get().wrk(), nginx.get().wrk())) {
                    met++;
                }
            }
            Spread spread = Spread.of(ratios);
            Spread gatewayRate = Spread.of(perTarget(GATEWAY));
            Spread nginxRate = Spread.of(perTarget(NGINX));
            out.append(String.format(
                    Locale.ROOT,
                    "- Gateway requests/s ≥ 75 %% of nginx's: **%s** — %s; gateway / nginx %s (median %,.0f vs"
                            + " %,.0f requests/s)\n",
                    met == ratios.size() && met == settings.runs() ? "met" : "NOT met",
                    runsMet(met, ratios.size()),
                    spread.format(Spread::percent),
                    gatewayRate.median(),
                    nginxRate.median()));
        }
        appendAddedVerdict(out, GatewayBenchmark.HALF_NGINX, true);
        appendAddedVerdict(out, GatewayBenchmark.HALF_GATEWAY, false);
        Optional<String> ws = wsVerdict();
        ws.ifPresent(out::append);
        return out.toString();
    }

    private void appendAddedVerdict(StringBuilder out, String rateName, boolean goal) {
        List<Double> added = added(GATEWAY, rateName, true);
        if (added.isEmpty()) {
            if (goal) {
                out.append("- Added p99 ≤ 2 ms at half load: **not measured**\n");
            }
            return;
        }
        long met = 0;
        for (int run = 1; run <= settings.runs(); run++) {
            Optional<PacedStep> gateway = GatewayBenchmark.find(pacedSteps, run, GATEWAY, rateName);
            Optional<PacedStep> direct = GatewayBenchmark.find(pacedSteps, run, DIRECT, rateName);
            if (gateway.isPresent()
                    && direct.isPresent()
                    && addedMet(gateway.get().result(), direct.get().result())) {
                met++;
            }
        }
        Spread rates = Spread.of(pacedSteps.stream()
                .filter(step ->
                        step.rateName().equals(rateName) && step.target().equals(GATEWAY))
                .map(step -> step.result().rate())
                .toList());
        Spread nginxAdded = Spread.of(added(NGINX, rateName, true));
        String status = met == added.size() && met == settings.runs() ? "met" : "NOT met";
        String where = String.format(
                Locale.ROOT,
                "%s, %s requests/s",
                rateName,
                rates.format(value -> String.format(Locale.ROOT, "%,.0f", value)));
        String added99 = String.format(
                Locale.ROOT,
                "the gateway adds %s ms to p99 (nginx %s ms)",
                Spread.of(added).format(GatewayReport::signedMs),
                nginxAdded.isEmpty() ? "–" : nginxAdded.format(GatewayReport::signedMs));
        if (goal) {
            out.append("- Added p99 ≤ 2 ms at half load (")
                    .append(where)
                    .append("): **")
                    .append(status)
                    .append("** — ")
                    .append(runsMet(met, added.size()))
                    .append("; ")
                    .append(added99)
                    .append('\n');
        } else {
            out.append("- For comparison, at a load the gateway can carry (")
                    .append(where)
                    .append("): ")
                    .append(added99)
                    .append("; within 2 ms and without errors in ")
                    .append(met)
                    .append(" of ")
                    .append(added.size())
                    .append(" run(s)\n");
        }
    }

    private Optional<String> wsVerdict() {
        if (wsSteps.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder();
        for (double rate : settings.wsRates()) {
            List<Double> ratios = new ArrayList<>();
            List<Double> added = new ArrayList<>();
            int lossless = 0;
            int compared = 0;
            for (int run = 1; run <= settings.runs(); run++) {
                Optional<WsStep> gateway = wsFind(run, GATEWAY, rate);
                Optional<WsStep> direct = wsFind(run, DIRECT, rate);
                if (gateway.isPresent() && direct.isPresent() && direct.get().deliveriesPerSecond() > 0) {
                    compared++;
                    ratios.add(
                            gateway.get().deliveriesPerSecond() / direct.get().deliveriesPerSecond());
                    added.add(gateway.get().p99Ms() - direct.get().p99Ms());
                    if (gateway.get().lossless()) {
                        lossless++;
                    }
                }
            }
            if (compared == 0) {
                continue;
            }
            out.append(String.format(
                    Locale.ROOT,
                    "- WebSocket fan-out at %s events/s × %,d clients: gateway / direct deliveries/s %s, added p99 %s"
                            + " ms; the gateway lost nothing in %d of %d run(s)\n",
                    Report.number(rate),
                    settings.wsClients(),
                    Spread.of(ratios).format(Spread::percent),
                    Spread.of(added).format(GatewayReport::signedMs),
                    lossless,
                    compared));
        }
        List<Double> peakRatios = new ArrayList<>();
        List<Double> gatewayPeaks = new ArrayList<>();
        List<Double> directPeaks = new ArrayList<>();
        for (int run = 1; run <= settings.runs(); run++) {
            double gateway = wsPeak(run, GATEWAY);
            double direct = wsPeak(run, DIRECT);
            if (gateway > 0 && direct > 0) {
                gatewayPeaks.add(gateway);
                directPeaks.add(direct);
                peakRatios.add(gateway / direct);
            }
        }
        if (!peakRatios.isEmpty()) {
            out.append(String.format(
                    Locale.ROOT,
                    "- WebSocket fan-out, most deliveries/s in any step: gateway %s vs direct %s, gateway / direct %s%s\n",
                    Spread.of(gatewayPeaks).format(v -> String.format(Locale.ROOT, "%,.0f", v)),
                    Spread.of(directPeaks).format(v -> String.format(Locale.ROOT, "%,.0f", v)),
                    Spread.of(peakRatios).format(Spread::percent),
                    wsSteps.stream()
                                    .anyMatch(step ->
                                            step.target().equals(DIRECT) && (!step.lossless() || step.p99Ms() > 1000))
                            ? ""
                            : " (direct kept up with every rate: its peak is the top rate, not its limit)"));
        }
        return Optional.of(out.toString());
    }

    private double wsPeak(int run, String target) {
        return wsSteps.stream()
                .filter(step -> step.run() == run && step.target().equals(target))
                .mapToDouble(WsStep::deliveriesPerSecond)
                .max()
                .orElse(0);
    }

    static boolean ratioMet(Wrk.Result gateway, Wrk.Result nginx) {
        return gateway.errors() == 0
                && nginx.requestsPerSecond() > 0
                && gateway.requestsPerSecond() / nginx.requestsPerSecond() >= GatewayBenchmark.GOAL_RATIO;
    }

    static boolean addedMet(PacedHttpLoad.Result gateway, PacedHttpLoad.Result direct) {
        return gateway.clean() && addedMs(gateway, direct, true) <= GatewayBenchmark.GOAL_ADDED_P99_MS;
    }

    private List<Double> perTarget(String target) {
        return maxSteps.stream()
                .filter(step -> step.target().equals(target))
                .map(step -> step.wrk().requestsPerSecond())
                .toList();
    }

    private String runsMet(long met, int measured) {
        return met + " of " + measured + " run(s) met it";
    }

    // ---------------------------------------------------------------- formatting

    private double maxOtherCores() {
        return Stream.of(
                        maxSteps.stream().map(MaxStep::cores),
                        pacedSteps.stream().map(PacedStep::cores),
                        wsSteps.stream().map(WsStep::cores))
                .flatMap(s -> s)
                .mapToDouble(cores -> cores.getOrDefault(CpuUsage.OTHER, 0.0))
                .max()
                .orElse(0);
    }

    private static Set<String> groups(Stream<Map<String, Double>> cores) {
        Set<String> groups = new LinkedHashSet<>();
        cores.forEach(map -> groups.addAll(map.keySet()));
        return groups;
    }

    private static String spreadLine(String name, Spread spread, Spread.DoubleFormat format) {
        return spread.isEmpty() ? "" : "- " + name + ": " + spread.format(format) + "\n";
    }

    static String signedMs(double value) {
        return (value >= 0 ? "+" : "−") + Report.ms(Math.abs(value));
    }

    static String cpuMs(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
