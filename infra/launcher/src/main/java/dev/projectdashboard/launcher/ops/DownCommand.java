package dev.projectdashboard.launcher.ops;

import dev.projectdashboard.launcher.Console;
import dev.projectdashboard.launcher.cli.Durations;
import dev.projectdashboard.launcher.process.Leftovers;
import dev.projectdashboard.launcher.process.ProcessStopper;
import dev.projectdashboard.launcher.state.InstanceLock;
import dev.projectdashboard.launcher.state.StateStore;
import dev.projectdashboard.launcher.state.SuiteState;
import dev.projectdashboard.launcher.state.Workspace;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Stops a running suite. The supervisor (the {@code up} process, detached or not) does the orderly stop on
 * SIGTERM; whatever is still alive afterwards — because it crashed or was killed — is stopped from the state
 * file, and PostgreSQL servers on our data directory are hunted down explicitly.
 */
public final class DownCommand {

    private final Workspace workspace;
    private final Console console;
    private final Duration supervisorGrace;
    private final Duration processGrace;

    public DownCommand(Workspace workspace, Console console, Duration supervisorGrace, Duration processGrace) {
        this.workspace = workspace;
        this.console = console;
        this.supervisorGrace = supervisorGrace;
        this.processGrace = processGrace;
    }

    public static DownCommand standard(Workspace workspace, Console console) {
        // The supervisor itself gives services 20 s and local-stack 30 s before it kills them.
        return new DownCommand(workspace, console, Duration.ofSeconds(70), Duration.ofSeconds(20));
    }

    public int down() {
        StateStore store = new StateStore(workspace.stateFile());
        Optional<SuiteState> state = store.read();
        Instant begin = Instant.now();
        boolean didSomething = false;

        Optional<ProcessHandle> supervisor = state.flatMap(s -> s.supervisor().live());
        if (supervisor.isPresent()
                && supervisor.get().pid() != ProcessHandle.current().pid()) {
            console.line(
                    "Stopping the suite (supervisor pid " + supervisor.get().pid() + ")…");
            didSomething = true;
            supervisor.get().destroy();
            if (!ProcessStopper.awaitExit(List.of(supervisor.get()), supervisorGrace)) {
                console.line("  the supervisor did not finish within " + Durations.human(supervisorGrace)
                        + "; stopping its processes directly");
                supervisor.get().destroyForcibly();
            }
        } else if (InstanceLock.isHeld(workspace.lockFile())) {
            console.error("A suite is starting or running but its state file is missing or unreadable ("
                    + workspace.display(workspace.stateFile()) + "); stop it with Ctrl-C in its terminal.");
            return 1;
        }

        // Services before local-stack, as in an orderly stop.
        List<ProcessHandle> services = new ArrayList<>();
        List<ProcessHandle> stack = new ArrayList<>();
        Map<Long, String> names = new HashMap<>();
        state.ifPresent(s -> s.components().forEach(c -> c.process().live().ifPresent(p -> {
            names.put(p.pid(), c.name() + " (pid " + p.pid() + ")");
            (c.port() > 0 ? services : stack).add(p);
        })));
        if (!services.isEmpty() || !stack.isEmpty()) {
            didSomething = true;
        }
        stopLeft("services", services, names);
        Set<ProcessHandle> stackAndChildren = new LinkedHashSet<>();
        stack.forEach(p -> {
            stackAndChildren.add(p);
            p.descendants().forEach(stackAndChildren::add);
        });
        stopLeft("local-stack", List.copyOf(stackAndChildren), names);
        List<ProcessHandle> leftovers = Leftovers.referencing(workspace.localStackDir());
        if (!leftovers.isEmpty()) {
            didSomething = true;
            stopLeft("servers local-stack left running", leftovers, names);
        }

        List<String> survivors = new ArrayList<>();
        state.ifPresent(s -> s.components().stream()
                .filter(c -> c.process().isAlive())
                .forEach(c -> survivors.add(c.name() + " (pid " + c.process().pid() + ")")));
        Leftovers.referencing(workspace.localStackDir()).stream()
                .map(Leftovers::describe)
                .forEach(survivors::add);
        if (!survivors.isEmpty()) {
            console.error("Still running after SIGKILL: " + String.join(", ", survivors) + ".");
            return 1;
        }
        store.delete();
        if (didSomething) {
            console.line("Stopped (" + Durations.seconds(Duration.between(begin, Instant.now())) + ").");
        } else {
            console.line("Nothing is running.");
        }
        return 0;
    }

    private void stopLeft(String what, List<ProcessHandle> processes, Map<Long, String> names) {
        if (processes.isEmpty()) {
            return;
        }
        List<String> labels = processes.stream()
                .map(p -> names.getOrDefault(p.pid(), Leftovers.describe(p)))
                .toList();
        console.line("  stopping " + what + ": " + String.join(", ", labels));
        ProcessStopper.stopAll(processes, processGrace);
    }
}
