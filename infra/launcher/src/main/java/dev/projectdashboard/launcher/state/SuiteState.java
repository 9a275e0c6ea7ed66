package dev.projectdashboard.launcher.state;

import dev.projectdashboard.launcher.process.ProcessRef;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running suite records so that {@code status} and {@code down} — from another terminal, after a
 * crash of the launcher — know which processes are ours.
 */
public record SuiteState(
        ProcessRef supervisor,
        Mode mode,
        Status status,
        Instant startedAt,
        String secretFingerprint,
        List<ComponentProcess> components) {

    public enum Mode {
        FOREGROUND,
        DETACHED
    }

    public enum Status {
        STARTING,
        READY,
        STOPPING
    }

    public SuiteState {
        components = List.copyOf(components);
    }

    public record ComponentProcess(String name, ProcessRef process, int port, Path log) {}

    public SuiteState withStatus(Status newStatus) {
        return new SuiteState(supervisor, mode, newStatus, startedAt, secretFingerprint, components);
    }

    public SuiteState withComponents(List<ComponentProcess> newComponents) {
        return new SuiteState(supervisor, mode, status, startedAt, secretFingerprint, newComponents);
    }

    public Optional<ComponentProcess> component(String name) {
        return components.stream().filter(c -> c.name().equals(name)).findFirst();
    }
}
