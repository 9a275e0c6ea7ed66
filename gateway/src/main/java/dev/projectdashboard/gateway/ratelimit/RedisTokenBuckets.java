package dev.projectdashboard.gateway.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.util.StreamUtils;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Token buckets in Redis, run by the Lua script of Spring Cloud Gateway's {@code RedisRateLimiter} (atomic refill and
 * take, keys expiring once full again). Not the {@code RedisRateLimiter} itself: it turns a Redis failure into an
 * allowed request indistinguishable from a real one, logged as an ERROR with a stack trace per request and without a
 * timeout of its own; and not Spring Data Redis: its shared connection is opened with a blocking call on the first
 * request. Here one connection is opened in the background at start-up (retried until Redis answers, then kept by
 * Lettuce's reconnect), and while it is down a command fails at once instead of queuing.
 */
final class RedisTokenBuckets implements TokenBuckets, AutoCloseable {

    /** The token-bucket script that ships with Spring Cloud Gateway. */
    static final String SCRIPT = "META-INF/scripts/request_rate_limiter.lua";

    private static final Logger log = LoggerFactory.getLogger(RedisTokenBuckets.class);
    private static final String KEY_PREFIX = "gateway:rate-limit:";

    private final RedisClient client;
    private final String script;
    private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
    private final Disposable connecting;
    private final AtomicBoolean closed = new AtomicBoolean();

    RedisTokenBuckets(String redisUrl, Duration commandTimeout) {
        RedisURI uri = RedisURI.create(redisUrl);
        this.script = readScript();
        this.client = RedisClient.create(uri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // a request must not wait for a reconnect: it is let through unchecked instead
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(commandTimeout.multipliedBy(4))
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout.multipliedBy(4)))
                .build());
        this.connecting = Mono.defer(() -> Mono.fromCompletionStage(client.connectAsync(StringCodec.UTF8, uri)))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(5))
                        .doBeforeRetry(retry -> {
                            if (retry.totalRetries() == 0) {
                                log.warn(
                                        "Redis at {} does not answer ({}); the rate limits are not enforced until"
                                                + " it does",
                                        uri.getHost() + ":" + uri.getPort(),
                                        retry.failure().toString());
                            }
                        }))
                .subscribe(
                        opened -> {
                            if (closed.get()) {
                                opened.closeAsync();
                                return;
                            }
                            connection.set(opened);
                            log.info("rate limits use Redis at {}:{}", uri.getHost(), uri.getPort());
                        },
                        error -> log.warn("giving up connecting to Redis: {}", error.toString()));
    }

    @Override
    public Mono<Decision> take(String bucket, RateLimitProperties.Limit limit) {
        StatefulRedisConnection<String, String> open = connection.get();
        if (open == null) {
            return Mono.error(new IllegalStateException("not connected to Redis yet"));
        }
        String key = KEY_PREFIX + "{" + bucket + "}";
        String[] keys = {key + ":tokens", key + ":timestamp"};
        // rate, capacity, now (empty: the script asks Redis for the time, one clock for every replica), requested
        return open.reactive()
                .<Object>eval(
                        script,
                        ScriptOutputType.MULTI,
                        keys,
                        Integer.toString(limit.replenishRate()),
                        Long.toString(limit.burstCapacity()),
                        "",
                        Integer.toString(limit.requestedTokens()))
                .collectList()
                .map(RedisTokenBuckets::flatten)
                .map(result -> {
                    long remaining = result.get(1);
                    return result.get(0) == 1L ? Decision.allowed(remaining) : Decision.refused(remaining, limit);
                });
    }

    /** The script's {@code {allowed, tokens_left}}, whether Lettuce emits it as one list or element by element. */
    private static List<Long> flatten(List<Object> emitted) {
        List<Long> values = new ArrayList<>();
        for (Object item : emitted) {
            if (item instanceof List<?> list) {
                list.forEach(value -> values.add(((Number) value).longValue()));
            } else {
                values.add(((Number) item).longValue());
            }
        }
        if (values.size() != 2) {
            throw new IllegalStateException("unexpected answer of the rate-limit script: " + emitted);
        }
        return values;
    }

    private static String readScript() {
        try {
            return StreamUtils.copyToString(new ClassPathResource(SCRIPT).getInputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("rate-limit script " + SCRIPT + " is missing from the classpath", e);
        }
    }

    @Override
    public void close() {
        closed.set(true);
        connecting.dispose();
        StatefulRedisConnection<String, String> open = connection.getAndSet(null);
        if (open != null) {
            open.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
