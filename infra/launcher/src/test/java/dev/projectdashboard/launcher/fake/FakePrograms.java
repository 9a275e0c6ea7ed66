package dev.projectdashboard.launcher.fake;

import dev.projectdashboard.launcher.suite.Component;
import dev.projectdashboard.launcher.suite.LaunchCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Launch commands that start the fakes in this package instead of the real jars. */
public final class FakePrograms {

    private FakePrograms() {}

    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static String testClasses() {
        try {
            return Path.of(FakePrograms.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code modes} maps a service name to a {@link FakeService} mode; others get {@code up}. */
    public static LaunchCommands commands(Map<String, String> modes) {
        return (Component component) -> {
            List<String> command = new ArrayList<>(
                    List.of(java(), "-Xmx32m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", testClasses()));
            if (component.isService()) {
                command.add(FakeService.class.getName());
                command.add(modes.getOrDefault(component.name(), "up"));
            } else {
                command.add(FakeLocalStack.class.getName());
            }
            return command;
        };
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
