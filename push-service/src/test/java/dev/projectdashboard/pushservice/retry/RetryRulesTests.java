package dev.projectdashboard.pushservice.retry;

import static dev.projectdashboard.pushservice.retry.RetryDecision.DELIVERED;
import static dev.projectdashboard.pushservice.retry.RetryDecision.GIVE_UP;
import static dev.projectdashboard.pushservice.retry.RetryDecision.RETRY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.projectdashboard.pushservice.ssrf.AddressRefusedException;
import dev.projectdashboard.pushservice.ssrf.WebhookUrlException;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.handler.timeout.WriteTimeoutException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.Exceptions;
import reactor.netty.http.client.PrematureCloseException;

class RetryRulesTests {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
        "200, DELIVERED",
        "201, DELIVERED",
        "204, DELIVERED",
        "299, DELIVERED",
        "410, DISABLE",
        "429, RETRY",
        "500, RETRY",
        "502, RETRY",
        "503, RETRY",
        "599, RETRY",
        "400, GIVE_UP",
        "401, GIVE_UP",
        "403, GIVE_UP",
        "404, GIVE_UP",
        "409, GIVE_UP",
        "413, GIVE_UP",
        "422, GIVE_UP",
        "499, GIVE_UP",
        "300, GIVE_UP",
        "301, GIVE_UP",
        "302, GIVE_UP",
        "307, GIVE_UP",
        "308, GIVE_UP",
        "100, RETRY",
        "600, RETRY",
        "0, RETRY",
    })
    void decidesByStatus(int status, RetryDecision decision) {
        assertThat(RetryRules.classify(status, null)).isEqualTo(decision);
    }

    @Test
    void statusWinsOverAnErrorThatFollowedIt() {
        assertThat(RetryRules.classify(200, ReadTimeoutException.INSTANCE)).isEqualTo(DELIVERED);
        assertThat(RetryRules.classify(404, new ConnectException("reset"))).isEqualTo(GIVE_UP);
    }

    @Test
    void retriesTimeouts() {
        assertThat(RetryRules.classify(null, new TimeoutException("Did not observe any item within 30000ms")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, ReadTimeoutException.INSTANCE)).isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, WriteTimeoutException.INSTANCE)).isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new SocketTimeoutException())).isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new ConnectTimeoutException("connection timed out")))
                .isEqualTo(RETRY);
    }

    @Test
    void retriesConnectionErrors() {
        assertThat(RetryRules.classify(null, new ConnectException("Connection refused")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new ClosedChannelException())).isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new IOException("Connection reset by peer")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new UnknownHostException("hooks.example.com")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, prematureClose())).isEqualTo(RETRY);
    }

    @Test
    void retriesUnknownErrors() {
        assertThat(RetryRules.classify(null, new IllegalStateException("something odd")))
                .isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, new OutOfMemoryError())).isEqualTo(RETRY);
    }

    @Test
    void givesUpOnRefusedAddressesEvenWhenWrapped() {
        AddressRefusedException refused = new AddressRefusedException("hooks.example.com", "10.0.0.1 is private");

        assertThat(RetryRules.classify(null, refused)).isEqualTo(GIVE_UP);
        // as a resolver failure reaches the client: wrapped in an UnknownHostException, then by Reactor
        UnknownHostException resolving = new UnknownHostException("hooks.example.com");
        resolving.initCause(refused);
        assertThat(RetryRules.classify(null, Exceptions.propagate(resolving))).isEqualTo(GIVE_UP);
        assertThat(RetryRules.classify(null, new WebhookUrlException("not a URL")))
                .isEqualTo(GIVE_UP);
    }

    @Test
    void looksThroughWrappersForTheCause() {
        RuntimeException wrapped = new RuntimeException("request failed", new ConnectException("refused"));
        IllegalStateException deep = new IllegalStateException(
                "outer", new RuntimeException("middle", new AddressRefusedException("h", "127.0.0.1 is loopback")));

        assertThat(RetryRules.classify(null, wrapped)).isEqualTo(RETRY);
        assertThat(RetryRules.classify(null, deep)).isEqualTo(GIVE_UP);
    }

    @Test
    void survivesACauseChainThatLoops() {
        IOException first = new IOException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        assertThat(RetryRules.classify(null, second)).isEqualTo(RETRY);
    }

    @Test
    void needsAStatusOrAnError() {
        assertThatThrownBy(() -> RetryRules.classify(null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Reactor Netty's exception for a connection closed before the response; its constructors are not public. */
    private static Throwable prematureClose() {
        return PrematureCloseException.TEST_EXCEPTION;
    }
}
