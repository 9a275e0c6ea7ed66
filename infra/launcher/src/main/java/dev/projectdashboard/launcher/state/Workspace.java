package dev.projectdashboard.launcher.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where everything a run leaves behind lives: {@code .dashboard/} at the repository root (gitignored). */
public record Workspace(Path root) {

    public static final String ROOT_PROPERTY = "dashboard.root";

    public Workspace {
        root = root.toAbsolutePath().normalize();
    }

    /**
     * The repository root: the {@code dashboard.root} system property the script sets, else the folder three
     * levels above the launcher jar ({@code infra/launcher/target/}), else the working directory.
     */
    public static Workspace locate(Optional<String> property, Optional<Path> launcherJar, Path workingDirectory) {
        if (property.isPresent() && !property.get().isBlank()) {
            return new Workspace(Path.of(property.get()));
        }
        Optional<Path> fromJar = launcherJar
                .map(Path::toAbsolutePath)
                .map(jar -> jar.getParent() == null
                        ? null
                        : jar.getParent().resolve("../../..").normalize())
                .filter(dir -> Files.isRegularFile(dir.resolve("mvnw")) && Files.isRegularFile(dir.resolve("pom.xml")));
        return new Workspace(fromJar.orElse(workingDirectory));
    }

    public Path dir() {
        return root.resolve(".dashboard");
    }

    public Path logs() {
        return dir().resolve("logs");
    }

    public Path log(String name) {
        return logs().resolve(name + ".log");
    }

    public Path localStackDir() {
        return dir().resolve("local-stack");
    }

    public Path localStackEnv() {
        return localStackDir().resolve("local-stack.env");
    }

    public Path stateFile() {
        return dir().resolve("state.properties");
    }

    public Path lockFile() {
        return dir().resolve("launcher.lock");
    }

    /** A path as the user should read it: relative to the repository root when inside it. */
    public String display(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
