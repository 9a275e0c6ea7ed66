package dev.projectdashboard.launcher.suite;

import java.nio.file.Path;
import java.util.List;

/**
 * One JVM the launcher starts: local-stack or a service.
 *
 * @param port the HTTP port of a service, 0 for local-stack (its servers' ports are in {@link StackPorts})
 * @param sources files and folders whose changes make {@code jar} stale
 * @param jvmOptions options placed before {@code -jar}
 */
public record Component(String name, Kind kind, int port, Path jar, List<Path> sources, List<String> jvmOptions) {

    public enum Kind {
        LOCAL_STACK,
        SERVICE
    }

    public Component {
        sources = List.copyOf(sources);
        jvmOptions = List.copyOf(jvmOptions);
    }

    public boolean isService() {
        return kind == Kind.SERVICE;
    }
}
