package dev.projectdashboard.launcher.suite;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts each component as {@code java <options> -jar <jar>} with the launcher's own JDK. */
public final class JavaLaunchCommands implements LaunchCommands {

    public static final String EXTRA_OPTIONS_ENV = "DASHBOARD_JAVA_OPTS";

    private final List<String> prefix;
    private final String java;
    private final List<String> extraOptions;

    public JavaLaunchCommands(List<String> prefix, String java, List<String> extraOptions) {
        this.prefix = List.copyOf(prefix);
        this.java = java;
        this.extraOptions = List.copyOf(extraOptions);
    }

    /**
     * Children get their own session (setsid, where it exists) so Ctrl-C in the terminal reaches only the
     * launcher, which then stops services before local-stack instead of everything dying at once.
     */
    public static JavaLaunchCommands fromEnvironment(Map<String, String> env) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String extra = env.getOrDefault(EXTRA_OPTIONS_ENV, "").strip();
        List<String> extraOptions = extra.isEmpty() ? List.of() : Arrays.asList(extra.split("\\s+"));
        List<String> prefix = findOnPath("setsid", env).map(List::of).orElse(List.of());
        return new JavaLaunchCommands(prefix, java, extraOptions);
    }

    @Override
    public List<String> command(Component component) {
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(component.jvmOptions());
        // Later options win in HotSpot, so DASHBOARD_JAVA_OPTS can raise a heap.
        command.addAll(extraOptions);
        command.add("-jar");
        command.add(component.jar().toString());
        return command;
    }

    public static Optional<String> findOnPath(String program, Map<String, String> env) {
        String path = env.getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }
}
