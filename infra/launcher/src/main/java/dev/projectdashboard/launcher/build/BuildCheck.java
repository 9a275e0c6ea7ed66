package dev.projectdashboard.launcher.build;

import dev.projectdashboard.launcher.suite.Component;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Decides whether a jar must be (re)built: it is missing, or some source it is built from is newer. */
public final class BuildCheck {

    private BuildCheck() {}

    public static List<Component> stale(Collection<Component> components) {
        return components.stream().filter(BuildCheck::isStale).toList();
    }

    public static boolean isStale(Component component) {
        if (!Files.isRegularFile(component.jar())) {
            return true;
        }
        FileTime built = modified(component.jar()).orElseThrow();
        return component.sources().stream()
                .map(BuildCheck::newest)
                .flatMap(Optional::stream)
                .anyMatch(source -> source.compareTo(built) > 0);
    }

    /** The newest modification time of a file or of any file below a folder. */
    static Optional<FileTime> newest(Path path) {
        if (!Files.exists(path)) {
            return Optional.empty();
        }
        if (!Files.isDirectory(path)) {
            return modified(path);
        }
        try (Stream<Path> files = Files.walk(path)) {
            return files.filter(Files::isRegularFile)
                    .map(BuildCheck::modified)
                    .flatMap(Optional::stream)
                    .max(FileTime::compareTo);
        } catch (IOException | UncheckedIOException e) {
            // a file vanished while we looked (an editor saving): count the folder as changed
            return Optional.of(FileTime.fromMillis(Long.MAX_VALUE));
        }
    }

    private static Optional<FileTime> modified(Path file) {
        try {
            return Optional.of(Files.getLastModifiedTime(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
