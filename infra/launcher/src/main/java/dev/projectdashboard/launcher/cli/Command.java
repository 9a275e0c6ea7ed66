package dev.projectdashboard.launcher.cli;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** One parsed invocation of {@code ./dashboard}. */
public sealed interface Command {

    /** Start the suite; in the foreground unless {@code detach}. */
    record Up(boolean detach, Duration startTimeout, boolean build) implements Command {}

    /** Internal: the background process {@code up --detach} leaves behind. */
    record Supervise(Duration startTimeout) implements Command {}

    record Down() implements Command {}

    record Status() implements Command {}

    /** {@code component} empty means every log. */
    record Logs(Optional<String> component, boolean follow, OptionalInt lines) implements Command {}

    record Token(String user, boolean admin, List<String> projects, List<String> devices, Duration ttl, boolean url)
            implements Command {}

    record Help(String text) implements Command {}
}
