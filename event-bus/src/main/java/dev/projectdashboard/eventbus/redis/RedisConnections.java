package dev.projectdashboard.eventbus.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The event bus's Redis connections: one shared, multiplexed connection for short commands (XADD, XACK,
 * XAUTOCLAIM, PING) and one dedicated connection per blocking reader, because a blocking XREAD/XREADGROUP holds its
 * connection until it returns and would stall every command queued behind it.
 *
 * <p>Connections are opened lazily and asynchronously, so a service starts (and reports DOWN) while Redis is away.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnections.class);

    private final RedisClient client;
    private final RedisURI uri;
    private final Duration commandTimeout;
    private final AtomicReference<CompletableFuture<StatefulRedisConnection<String, String>>> shared =
            new AtomicReference<>();
    private final Set<StatefulRedisConnection<String, String>> dedicated = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public RedisConnections(RedisClient client, String redisUrl, Duration commandTimeout) {
        this.client = client;
        this.uri = RedisURI.create(redisUrl);
        this.commandTimeout = commandTimeout;
    }

    /**
     * Client options for the event bus: commands issued while disconnected fail at once instead of queueing
     * (publishers answer 503 instead of hanging), and reconnects are retried every few seconds at most.
     */
    public static ClientResources clientResources() {
        return ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
    }

    /** A client for {@code redisUrl} with the options above; the caller shuts it (and the resources) down. */
    public static RedisClient createClient(ClientResources resources, String redisUrl, Duration connectTimeout) {
        RedisClient client = RedisClient.create(resources, RedisURI.create(redisUrl));
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(connectTimeout)
                        .keepAlive(true)
                        .build())
                .build());
        return client;
    }

    /** Timeout for every non-blocking command. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** Host and port of the Redis server, without credentials, for logs and health details. */
    public String describe() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Reactive commands on the shared connection, connecting first if needed. */
    public Mono<RedisReactiveCommands<String, String>> commands() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("event bus connections are closed"));
            }
            CompletableFuture<StatefulRedisConnection<String, String>> current = shared.get();
            if (current == null || current.isCompletedExceptionally()) {
                // only the caller that installs the placeholder connects, so concurrent callers share one connection
                CompletableFuture<StatefulRedisConnection<String, String>> mine = new CompletableFuture<>();
                if (shared.compareAndSet(current, mine)) {
                    client.connectAsync(StringCodec.UTF8, uri).whenComplete((connection, error) -> {
                        if (error != null) {
                            mine.completeExceptionally(error);
                        } else {
                            mine.complete(connection);
                        }
                    });
                }
                current = shared.get();
                if (current == null) {
                    return Mono.error(new IllegalStateException("event bus connections are closed"));
                }
            }
            // suppressCancel: one subscriber giving up must not cancel the connect shared by all
            return Mono.fromFuture(current, true).timeout(commandTimeout).map(StatefulRedisConnection::reactive);
        });
    }

    /** Opens a connection for one blocking reader; give it back with {@link #release}. */
    public Mono<StatefulRedisConnection<String, String>> openDedicated() {
        return Mono.defer(() -> {
            if (closed) {
                return Mono.error(new IllegalStateException("event bus connections are closed"));
            }
            return Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri))
                    .timeout(commandTimeout)
                    .doOnNext(dedicated::add);
        });
    }

    /** Closes a connection from {@link #openDedicated}. */
    /**
     * Calls {@code action} each time {@code connection} loses its socket. Lettuce then reconnects by itself and sends
     * again what was in flight, so a caller that must know (a tailer whose stream may be gone with the server) learns
     * it only this way. Returns what removes the listener.
     */
    public Runnable onDisconnect(StatefulRedisConnection<String, String> connection, Runnable action) {
        RedisConnectionStateListener listener = new RedisConnectionStateListener() {
            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
                if (handler == connection) {
                    action.run();
                }
            }
        };
        client.addListener(listener);
        return () -> client.removeListener(listener);
    }

    public Mono<Void> release(StatefulRedisConnection<String, String> connection) {
        dedicated.remove(connection);
        return Mono.fromCompletionStage(connection::closeAsync)
                .onErrorResume(e -> Mono.empty())
                .then();
    }

    @Override
    public void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<String, String>> current = shared.getAndSet(null);
        if (current != null) {
            current.thenAccept(StatefulRedisConnection::closeAsync);
        }
        dedicated.forEach(StatefulRedisConnection::closeAsync);
        dedicated.clear();
        log.debug("event bus connections to {} closed", describe());
    }
}
