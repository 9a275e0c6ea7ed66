package dev.projectdashboard.launcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CommandLineParserTests {

    private final CommandLineParser parser = new CommandLineParser(Map.of());

    @Test
    void upRunsInTheForegroundWithDefaults() {
        assertThat(parser.parse("up")).isEqualTo(new Command.Up(false, Duration.ofSeconds(180), true));
    }

    @Test
    void upAcceptsDetachTimeoutAndNoBuildInAnyOrder() {
        assertThat(parser.parse("up", "--timeout", "5m", "--detach", "--no-build"))
                .isEqualTo(new Command.Up(true, Duration.ofMinutes(5), false));
        assertThat(parser.parse("up", "-d", "--timeout=90s"))
                .isEqualTo(new Command.Up(true, Duration.ofSeconds(90), true));
    }

    @Test
    void startTimeoutDefaultComesFromTheEnvironment() {
        CommandLineParser configured = new CommandLineParser(Map.of("DASHBOARD_START_TIMEOUT", "300"));

        assertThat(configured.parse("up")).isEqualTo(new Command.Up(false, Duration.ofSeconds(300), true));
        assertThat(configured.parse("supervise", "--timeout=1h")).isEqualTo(new Command.Supervise(Duration.ofHours(1)));
    }

    @Test
    void rejectsNonsenseDurationsNamingTheOption() {
        assertThatThrownBy(() -> parser.parse("up", "--timeout", "soon"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--timeout")
                .hasMessageContaining("soon");
        assertThatThrownBy(() -> parser.parse("token", "--ttl", "0s")).isInstanceOf(UsageException.class);
        assertThatThrownBy(() -> parser.parse("up", "--timeout")).hasMessage("--timeout needs a value.");
    }

    @Test
    void parsesCombinedDurations() {
        assertThat(Durations.parse("1h30m", "x")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("PT8H", "x")).isEqualTo(Duration.ofHours(8));
        assertThat(Durations.parse("2d", "x")).isEqualTo(Duration.ofDays(2));
        assertThat(Durations.human(Duration.ofHours(8))).isEqualTo("8 h");
        assertThat(Durations.seconds(Duration.ofMillis(12345))).isEqualTo("12.3 s");
    }

    @Test
    void logsTakeANameFollowAndLineCount() {
        assertThat(parser.parse("logs")).isEqualTo(new Command.Logs(Optional.empty(), false, OptionalInt.empty()));
        assertThat(parser.parse("logs", "gateway", "-f", "-n", "50"))
                .isEqualTo(new Command.Logs(Optional.of("gateway"), true, OptionalInt.of(50)));
        assertThat(parser.parse("logs", "-f", "push-service"))
                .isEqualTo(new Command.Logs(Optional.of("push-service"), true, OptionalInt.empty()));
        assertThatThrownBy(() -> parser.parse("logs", "-n", "many")).hasMessageContaining("-n");
    }

    @Test
    void tokenDefaultsToAPlainDevUserForEightHours() {
        assertThat(parser.parse("token"))
                .isEqualTo(new Command.Token("dev", false, List.of(), List.of(), Duration.ofHours(8), false));
    }

    @Test
    void adminTokenSeesEverythingUnlessNarrowed() {
        assertThat(parser.parse("token", "--admin"))
                .isEqualTo(new Command.Token("dev", true, List.of("*"), List.of("*"), Duration.ofHours(8), false));
        assertThat(parser.parse("token", "--admin", "--user", "ops", "--projects", "a, b", "--ttl", "30m", "--url"))
                .isEqualTo(
                        new Command.Token("ops", true, List.of("a", "b"), List.of("*"), Duration.ofMinutes(30), true));
    }

    @Test
    void unknownCommandsAndArgumentsAreUsageErrors() {
        assertThatThrownBy(() -> parser.parse("upp"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("upp");
        assertThatThrownBy(() -> parser.parse("down", "--force"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("--force");
        assertThatThrownBy(() -> parser.parse("token", "--user", "")).hasMessageContaining("--user");
    }

    /** A token whose sub the services refuse would only fail later, with a 401. */
    @Test
    void tokenUserFollowsTheServicesRuleForUserIds() {
        for (String user : new String[] {"alice smith", "user:alice", "a/b", "x".repeat(129)}) {
            assertThatThrownBy(() -> parser.parse("token", "--user", user))
                    .isInstanceOf(UsageException.class)
                    .hasMessageContaining("--user");
        }
        assertThat(((Command.Token) parser.parse("token", "--user", "ci-bot+1@example.org")).user())
                .isEqualTo("ci-bot+1@example.org");
    }

    @Test
    void noArgumentsShowsHelp() {
        assertThat(parser.parse()).isInstanceOf(Command.Help.class);
        assertThat(((Command.Help) parser.parse("--help")).text()).contains("./dashboard up", "token", "logs");
    }
}
