package dev.projectdashboard.launcher.ops;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Durations;
import dev.projectdashboard.launcher.readiness.PortCheck;
import dev.projectdashboard.launcher.readiness.ReadinessProbe;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.EnvFile;
import dev.projectdashboard.launcher.suite.StackPorts;
import dev.projectdashboard.launcher.suite.SuiteDefinition;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@code status}: each service and server with its port, up or not. Exit code 0 only when all are up. */
public final class StatusCommand {

    private final Workspace workspace;
    private final SuiteDefinition suite;
    private final Console console;
    private final ReadinessProbe probe;

    public StatusCommand(Workspace workspace, SuiteDefinition suite, Console console, ReadinessProbe probe) {
        this.workspace = workspace;
        this.suite = suite;
        this.console = console;
        this.probe = probe;
    }

    public int status() {
        Optional<SuiteState> state = new StateStore(workspace.stateFile()).read();
        boolean supervised = state.map(s -> s.supervisor().isAlive()).orElse(false);
        if (supervised) {
            SuiteState s = state.get();
            console.line("Project Dashboard: " + s.status().name().toLowerCase(Locale.ROOT) + " ("
                    + s.mode().name().toLowerCase(Locale.ROOT) + ", supervisor pid "
                    + s.supervisor().pid() + ", up "
                    + Durations.human(Duration.between(s.startedAt(), Instant.now())
                            .withNanos(0)
                            .plusSeconds(1))
                    + ")");
        } else if (state.isPresent()) {
            console.line("Project Dashboard: not supervised (the launcher is gone; ./dashboard down cleans up)");
        } else {
            console.line("Project Dashboard: not started by ./dashboard");
        }

        boolean allUp = true;
        console.line(String.format(Locale.ROOT, "  %-18s %-6s %s", "NAME", "PORT", "STATE"));
        for (Component service : suite.services()) {
            Optional<SuiteState.ComponentProcess> recorded = state.flatMap(s -> s.component(service.name()));
            boolean ready = probe.isReady(ReadinessProbe.readinessUri(service.port()));
            boolean alive = recorded.map(c -> c.process().isAlive()).orElse(false);
            String text = ready ? "up" : alive ? "starting (not ready yet)" : "down";
            allUp &= ready;
            console.line(row(service.name(), Integer.toString(service.port()), text + pid(recorded, alive)));
        }
        Optional<SuiteState.ComponentProcess> stack = state.flatMap(s -> s.component("local-stack"));
        boolean stackAlive = stack.map(c -> c.process().isAlive()).orElse(false);
        console.line(row("local-stack", "", (stackAlive ? "running" : "down") + pid(stack, stackAlive)));
        for (Map.Entry<String, Integer> server : serverPorts().entrySet()) {
            boolean listening = PortCheck.isListening(server.getValue());
            allUp &= listening;
            console.line(row("  " + server.getKey(), server.getValue().toString(), listening ? "up" : "down"));
        }
        if (allUp) {
            console.line("Dashboard: http://localhost:" + suite.gateway().port()
                    + "/project-dashboard/  (token: ./dashboard token --admin --url)");
        }
        return allUp ? 0 : 1;
    }

    /** The ports local-stack reported, else the ones it would use. */
    private Map<String, Integer> serverPorts() {
        StackPorts ports = suite.stackPorts();
        Map<String, String> env =
                Files.isRegularFile(workspace.localStackEnv()) ? EnvFile.read(workspace.localStackEnv()) : Map.of();
        Map<String, Integer> servers = new LinkedHashMap<>();
        servers.put("redis", uriPort(env.get("REDIS_URL")).orElse(ports.redis()));
        servers.put("postgresql", number(env.get("POSTGRES_PORT")).orElse(ports.postgres()));
        servers.put("mqtt", number(env.get("MQTT_PORT")).orElse(ports.mqtt()));
        servers.put("s3", uriPort(env.get("S3_ENDPOINT")).orElse(ports.s3()));
        return servers;
    }

    private static String pid(Optional<SuiteState.ComponentProcess> recorded, boolean alive) {
        return alive ? "   pid " + recorded.get().process().pid() : "";
    }

    private static String row(String name, String port, String text) {
        return String.format(Locale.ROOT, "  %-18s %-6s %s", name, port, text);
    }

    private static Optional<Integer> uriPort(String uri) {
        try {
            return uri == null
                    ? Optional.empty()
                    : Optional.of(URI.create(uri).getPort()).filter(p -> p > 0);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> number(String value) {
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
