package dev.projectdashboard.launcher.state;

import dev.projectdashboard.launcher.process.ProcessRef;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Keeps {@link SuiteState} in a properties file (JDK-only, readable with {@code cat}), replaced atomically
 * so a concurrent {@code status} never sees half a file.
 */
public final class StateStore {

    private final Path file;

    public StateStore(Path file) {
        this.file = file;
    }

    public synchronized void write(SuiteState state) {
        Properties properties = new Properties();
        properties.setProperty(
                "supervisor.pid", Long.toString(state.supervisor().pid()));
        properties.setProperty("supervisor.start", instant(state.supervisor().start()));
        properties.setProperty("mode", state.mode().name().toLowerCase(Locale.ROOT));
        properties.setProperty("status", state.status().name().toLowerCase(Locale.ROOT));
        properties.setProperty("started", state.startedAt().toString());
        properties.setProperty("jwt.secret.fingerprint", state.secretFingerprint());
        properties.setProperty(
                "components",
                state.components().stream()
                        .map(SuiteState.ComponentProcess::name)
                        .collect(Collectors.joining(",")));
        for (SuiteState.ComponentProcess component : state.components()) {
            String prefix = "component." + component.name() + ".";
            properties.setProperty(
                    prefix + "pid", Long.toString(component.process().pid()));
            properties.setProperty(prefix + "start", instant(component.process().start()));
            properties.setProperty(prefix + "port", Integer.toString(component.port()));
            properties.setProperty(prefix + "log", component.log().toString());
        }
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            try (Writer writer = Files.newBufferedWriter(temporary)) {
                properties.store(writer, "written by ./dashboard; do not edit while the suite runs");
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file, e);
        }
    }

    /** Empty when nothing was recorded, or the file is unreadable (then it is not ours to trust). */
    public synchronized Optional<SuiteState> read() {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
            List<SuiteState.ComponentProcess> components = new ArrayList<>();
            String names = properties.getProperty("components", "");
            for (String name :
                    Arrays.stream(names.split(",")).filter(s -> !s.isBlank()).toList()) {
                String prefix = "component." + name + ".";
                components.add(new SuiteState.ComponentProcess(
                        name,
                        new ProcessRef(
                                Long.parseLong(required(properties, prefix + "pid")),
                                instant(properties.getProperty(prefix + "start", ""))),
                        Integer.parseInt(required(properties, prefix + "port")),
                        Path.of(required(properties, prefix + "log"))));
            }
            return Optional.of(new SuiteState(
                    new ProcessRef(
                            Long.parseLong(required(properties, "supervisor.pid")),
                            instant(properties.getProperty("supervisor.start", ""))),
                    SuiteState.Mode.valueOf(required(properties, "mode").toUpperCase(Locale.ROOT)),
                    SuiteState.Status.valueOf(required(properties, "status").toUpperCase(Locale.ROOT)),
                    Instant.parse(required(properties, "started")),
                    properties.getProperty("jwt.secret.fingerprint", ""),
                    components));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    public synchronized void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + file, e);
        }
    }

    /** Sorted keys keep the file readable: one component's lines stay together. */
    private static final class SortedProperties extends Properties {

        private static final long serialVersionUID = 1L;

        @Override
        public Set<Map.Entry<Object, Object>> entrySet() {
            return Collections.unmodifiableSet(new TreeMap<>(this).entrySet());
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("missing " + key);
        }
        return value;
    }

    private static String instant(Optional<Instant> instant) {
        return instant.map(Instant::toString).orElse("");
    }

    private static Optional<Instant> instant(String text) {
        return text.isBlank() ? Optional.empty() : Optional.of(Instant.parse(text));
    }
}
