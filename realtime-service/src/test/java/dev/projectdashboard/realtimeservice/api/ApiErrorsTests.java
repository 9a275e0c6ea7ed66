package dev.projectdashboard.realtimeservice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.script.RedisScript.ScriptException;
import dev.projectdashboard.starter.problem.ProblemException;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class ApiErrorsTests {

    @Test
    void refusalsKeepTheirMeaning() {
        assertThat(status(new RealtimeException(RealtimeException.BAD_REQUEST, "x")))
                .isEqualTo(400);
        assertThat(status(new RealtimeException(RealtimeException.PERMISSION_DENIED, "x")))
                .isEqualTo(403);
        assertThat(status(new RealtimeException(RealtimeException.LIMIT_EXCEEDED, "x")))
                .isEqualTo(429);
        assertThat(status(new RealtimeException(RealtimeException.NOT_AVAILABLE, "x")))
                .isEqualTo(503);
    }

    @Test
    void anUnreachableRedisIsA503WhereverItIsInTheCauseChain() {
        assertThat(status(new RedisConnectionException("refused"))).isEqualTo(503);
        assertThat(status(new EventBusUnavailableException("down", null))).isEqualTo(503);
        assertThat(status(new TimeoutException())).isEqualTo(503);
        assertThat(status(new IllegalStateException("wrapped", new RedisConnectionException("refused"))))
                .isEqualTo(503);
    }

    @Test
    void aScriptRedisRanAndRefusedIsABugNotAnOutage() {
        // what history.lua answered for ?since=100000000000000 before it stopped printing the id as 1e+14
        ScriptException refused = new ScriptException(
                "Redis script history failed",
                new RedisCommandExecutionException(
                        "ERR Error running script: Invalid stream ID specified as stream command argument"));
        assertThat(ApiErrors.translate(refused)).isSameAs(refused);
        assertThat(status(new ScriptException("busy", new RedisBusyException("BUSY Redis is busy running a script"))))
                .isEqualTo(503);
        assertThat(status(new ScriptException("timed out", new TimeoutException())))
                .isEqualTo(503);
    }

    @Test
    void bugsStayBugs() {
        IllegalStateException bug = new IllegalStateException("bug");
        assertThat(ApiErrors.translate(bug)).isSameAs(bug);
        RealtimeException internal = new RealtimeException(RealtimeException.INTERNAL, "x");
        assertThat(ApiErrors.translate(internal)).isSameAs(internal);
    }

    private static int status(Throwable error) {
        return ((ProblemException) ApiErrors.translate(error)).getStatusCode().value();
    }
}
