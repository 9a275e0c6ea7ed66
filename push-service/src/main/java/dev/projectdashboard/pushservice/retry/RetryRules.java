package dev.projectdashboard.pushservice.retry;

import dev.projectdashboard.pushservice.ssrf.AddressRefusedException;
import dev.projectdashboard.pushservice.ssrf.WebhookUrlException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import reactor.netty.http.client.PrematureCloseException;

/**
 * Source 003's retry conditions ("重试条件"): which outcome of a delivery attempt is retried. Retried: 5xx server
 * errors, 429 Too Many Requests, network timeouts, connection errors. Not retried: 2xx, other 4xx, and attempts past the
 * maximum (the latter is {@link RetrySchedule}'s part).
 */
public final class RetryRules {

    /** Error types with their decision, first match wins; each is looked for along the whole cause chain. */
    private static final List<ErrorRule> ERROR_RULES = List.of(
            // not in the source: our own refusals (the URL, or the address its host resolved to) do not pass by waiting
            new ErrorRule(AddressRefusedException.class, RetryDecision.GIVE_UP),
            new ErrorRule(WebhookUrlException.class, RetryDecision.GIVE_UP),
            // source: 网络超时 (network timeout) is retried
            new ErrorRule(TimeoutException.class, RetryDecision.RETRY),
            // Netty's ReadTimeoutException and WriteTimeoutException
            new ErrorRule(io.netty.handler.timeout.TimeoutException.class, RetryDecision.RETRY),
            new ErrorRule(SocketTimeoutException.class, RetryDecision.RETRY),
            // source: 连接错误 (connection error) is retried; Netty's ConnectTimeoutException is a ConnectException
            new ErrorRule(ConnectException.class, RetryDecision.RETRY),
            new ErrorRule(PrematureCloseException.class, RetryDecision.RETRY),
            new ErrorRule(ClosedChannelException.class, RetryDecision.RETRY),
            // e.g. UnknownHostException, SSLException, a reset connection
            new ErrorRule(IOException.class, RetryDecision.RETRY));

    private RetryRules() {}

    /**
     * The decision for one attempt: by its HTTP status when the receiver answered (the status wins over an error that
     * followed it, e.g. while reading the response body), else by its error.
     *
     * @throws IllegalArgumentException when neither is given
     */
    public static RetryDecision classify(Integer httpStatus, Throwable error) {
        if (httpStatus != null) {
            return byStatus(httpStatus);
        }
        if (error == null) {
            throw new IllegalArgumentException("an attempt ends with an HTTP status or an error");
        }
        return byError(error);
    }

    private static RetryDecision byStatus(int status) {
        if (status >= 200 && status <= 299) {
            return RetryDecision.DELIVERED; // source: 2xx成功响应, not retried
        }
        if (status == 410) {
            // 410 Gone: the receiver says the endpoint will not come back; the source gives up on every 4xx, we also
            // stop calling it
            return RetryDecision.DISABLE;
        }
        if (status == 429) {
            return RetryDecision.RETRY; // source: 429 Too Many Requests is retried
        }
        if (status >= 500 && status <= 599) {
            return RetryDecision.RETRY; // source: 5xx服务器错误 is retried
        }
        if (status >= 400 && status <= 499) {
            return RetryDecision.GIVE_UP; // source: 4xx客户端错误（除了429） is not retried
        }
        if (status >= 300 && status <= 399) {
            // not in the source: redirects are not followed (the new address would escape the SSRF check), and the
            // same request will be redirected again
            return RetryDecision.GIVE_UP;
        }
        // 1xx as a final answer, or no HTTP status at all: a broken exchange, retried like an unknown error
        return RetryDecision.RETRY;
    }

    private static RetryDecision byError(Throwable error) {
        List<Throwable> chain = causes(error);
        for (ErrorRule rule : ERROR_RULES) {
            for (Throwable cause : chain) {
                if (rule.type().isInstance(cause)) {
                    return rule.decision();
                }
            }
        }
        // source: every exception is caught, logged and retried up to the maximum
        return RetryDecision.RETRY;
    }

    /** {@code error} and its causes, outermost first, each once (a cause chain may loop). */
    private static List<Throwable> causes(Throwable error) {
        Set<Throwable> seen = new HashSet<>();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = error; cause != null && seen.add(cause); cause = cause.getCause()) {
            chain.add(cause);
        }
        return chain;
    }

    private record ErrorRule(Class<? extends Throwable> type, RetryDecision decision) {}
}
