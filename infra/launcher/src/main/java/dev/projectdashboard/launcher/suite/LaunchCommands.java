package dev.projectdashboard.launcher.suite;

import java.util.List;

/** The one place that decides how a component is started; tests point it at fake programs. */
@FunctionalInterface
public interface LaunchCommands {

    List<String> command(Component component);
}
