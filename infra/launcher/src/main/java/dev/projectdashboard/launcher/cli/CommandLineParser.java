package dev.projectdashboard.launcher.cli;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * Turns {@code ./dashboard} arguments into a {@link Command}. Hand-written rather than picocli: six small
 * subcommands do not justify a dependency (and shading it) in a launcher that must start instantly.
 */
public final class CommandLineParser {

    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(180);
    public static final Duration DEFAULT_TOKEN_TTL = Duration.ofHours(8);
    public static final String START_TIMEOUT_ENV = "DASHBOARD_START_TIMEOUT";

    // the services' rule for a token's sub (service-starter's DashboardPrincipal), which the launcher does not depend
    // on
    private static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9_.@+-]{1,128}");

    public static final String USAGE =
            """
            Usage: ./dashboard <command> [options]

            Commands:
              up [--detach] [--timeout 180s] [--no-build]
                                  build what is missing, start local-stack and the six services, wait until
                                  they are ready and print the dashboard URL; Ctrl-C stops everything.
                                  --detach returns once ready and leaves the suite running in the background.
              down                stop a running suite (detached or not) and everything it started
              status              show each service and server with its port, up or not
              logs [name] [-f] [-n N]
                                  print a log (gateway, file-service, realtime-service, device-bridge,
                                  push-service, deploy-notifier, local-stack, supervisor, build);
                                  without a name the last lines of every log; -f keeps following
              token [--user ID] [--admin] [--projects a,b] [--devices x,y] [--ttl 8h] [--url]
                                  print a development JWT (HS256, DASHBOARD_JWT_SECRET or the dev secret);
                                  --admin grants role admin and, unless given, projects and devices '*'
              help                this text

            Environment variables given to './dashboard up' reach every service; your own values of
            REDIS_URL, POSTGRES_*, MQTT_*, S3_* … win over the ones local-stack provides.
            LOCAL_STACK_REDIS_PORT, _POSTGRES_PORT, _MQTT_PORT and _S3_PORT move local-stack's servers;
            DASHBOARD_START_TIMEOUT sets the default start timeout, DASHBOARD_JAVA_OPTS adds JVM options.
            State and logs live in .dashboard/ at the repository root.
            """;

    private final Map<String, String> environment;

    public CommandLineParser(Map<String, String> environment) {
        this.environment = environment;
    }

    public Command parse(String... args) {
        Deque<String> rest = new ArrayDeque<>(Arrays.asList(args));
        String name = rest.isEmpty() ? "help" : rest.removeFirst();
        Command command =
                switch (name) {
                    case "up" -> up(rest);
                    case "supervise" -> new Command.Supervise(timeoutOption(rest));
                    case "down" -> new Command.Down();
                    case "status", "ps" -> new Command.Status();
                    case "logs", "log" -> logs(rest);
                    case "token" -> token(rest);
                    case "help", "-h", "--help" -> {
                        rest.clear();
                        yield new Command.Help(USAGE);
                    }
                    default -> throw new UsageException("Unknown command '" + name + "'. Try ./dashboard help.");
                };
        if (!rest.isEmpty()) {
            throw new UsageException(
                    "Unexpected argument '" + rest.peekFirst() + "' for '" + name + "'. Try ./dashboard help.");
        }
        return command;
    }

    private Command up(Deque<String> rest) {
        boolean detach = false;
        boolean build = true;
        Duration timeout = defaultTimeout();
        while (!rest.isEmpty()) {
            String arg = rest.peekFirst();
            if (arg.equals("--detach") || arg.equals("-d")) {
                rest.removeFirst();
                detach = true;
            } else if (arg.equals("--no-build")) {
                rest.removeFirst();
                build = false;
            } else if (isOption(arg, "--timeout")) {
                timeout = Durations.parse(value(rest, "--timeout"), "--timeout");
            } else {
                break;
            }
        }
        return new Command.Up(detach, timeout, build);
    }

    private Duration timeoutOption(Deque<String> rest) {
        if (!rest.isEmpty() && isOption(rest.peekFirst(), "--timeout")) {
            return Durations.parse(value(rest, "--timeout"), "--timeout");
        }
        return defaultTimeout();
    }

    private Duration defaultTimeout() {
        String configured = environment.get(START_TIMEOUT_ENV);
        if (configured == null || configured.isBlank()) {
            return DEFAULT_START_TIMEOUT;
        }
        return Durations.parse(configured, START_TIMEOUT_ENV);
    }

    private Command logs(Deque<String> rest) {
        Optional<String> component = Optional.empty();
        boolean follow = false;
        OptionalInt lines = OptionalInt.empty();
        while (!rest.isEmpty()) {
            String arg = rest.peekFirst();
            if (arg.equals("-f") || arg.equals("--follow")) {
                rest.removeFirst();
                follow = true;
            } else if (isOption(arg, "-n") || isOption(arg, "--lines")) {
                String option = arg.startsWith("--") ? "--lines" : "-n";
                String value = value(rest, option);
                try {
                    lines = OptionalInt.of(Integer.parseUnsignedInt(value));
                } catch (NumberFormatException e) {
                    throw new UsageException("Invalid " + option + " '" + value + "': use a number of lines.");
                }
            } else if (!arg.startsWith("-") && component.isEmpty()) {
                component = Optional.of(rest.removeFirst());
            } else {
                break;
            }
        }
        return new Command.Logs(component, follow, lines);
    }

    private Command token(Deque<String> rest) {
        String user = "dev";
        boolean admin = false;
        List<String> projects = null;
        List<String> devices = null;
        Duration ttl = DEFAULT_TOKEN_TTL;
        boolean url = false;
        while (!rest.isEmpty()) {
            String arg = rest.peekFirst();
            if (arg.equals("--admin")) {
                rest.removeFirst();
                admin = true;
            } else if (arg.equals("--url")) {
                rest.removeFirst();
                url = true;
            } else if (isOption(arg, "--user")) {
                user = value(rest, "--user");
                if (!USER_ID.matcher(user).matches()) {
                    throw new UsageException("--user needs a user id of 1-128 ASCII letters, digits and _ - . @ +"
                            + " (the services refuse a token with any other sub), not '" + user + "'.");
                }
            } else if (isOption(arg, "--projects")) {
                projects = list(value(rest, "--projects"));
            } else if (isOption(arg, "--devices")) {
                devices = list(value(rest, "--devices"));
            } else if (isOption(arg, "--ttl")) {
                ttl = Durations.parse(value(rest, "--ttl"), "--ttl");
            } else {
                break;
            }
        }
        // An admin sees everything unless narrowed on purpose; a plain user sees only what is granted.
        List<String> everything = admin ? List.of("*") : List.of();
        return new Command.Token(
                user,
                admin,
                projects != null ? projects : everything,
                devices != null ? devices : everything,
                ttl,
                url);
    }

    private static List<String> list(String value) {
        return Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }

    private static boolean isOption(String arg, String option) {
        return arg.equals(option) || arg.startsWith(option + "=");
    }

    /** Consumes {@code --option value} or {@code --option=value}. */
    private static String value(Deque<String> rest, String option) {
        String arg = rest.removeFirst();
        if (arg.startsWith(option + "=")) {
            return arg.substring(option.length() + 1);
        }
        if (rest.isEmpty()) {
            throw new UsageException(option + " needs a value.");
        }
        return rest.removeFirst();
    }
}
