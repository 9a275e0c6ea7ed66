package dev.projectdashboard.eventbus.redis;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventBusUnavailableException;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventPublisher;
import dev.projectdashboard.eventbus.Streams;
import io.lettuce.core.RedisException;
import io.lettuce.core.XAddArgs;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Mono;

/** XADD with an approximate MAXLEN on the shared connection. */
public final class RedisEventPublisher implements EventPublisher {

    private final RedisConnections connections;
    private final EventCodec codec;
    private final EventBusMetrics metrics;
    private final PublisherOptions options;

    public RedisEventPublisher(
            RedisConnections connections, EventCodec codec, EventBusMetrics metrics, PublisherOptions options) {
        this.connections = connections;
        this.codec = codec;
        this.metrics = metrics;
        this.options = options;
    }

    @Override
    public Mono<String> publish(String stream, CloudEvent<?> event) {
        return Mono.defer(() -> {
            String json = codec.encode(event);
            XAddArgs trim = XAddArgs.Builder.maxlen(options.maxlen(stream)).approximateTrimming();
            return connections
                    .commands()
                    .flatMap(redis -> redis.xadd(stream, trim, Map.of(Streams.EVENT_FIELD, json)))
                    .switchIfEmpty(Mono.error(() -> new RedisException("XADD returned no id")))
                    .timeout(options.timeout())
                    .onErrorMap(
                            e -> e instanceof RedisException || e instanceof TimeoutException,
                            e -> new EventBusUnavailableException(
                                    "could not append " + event.type() + " to " + stream + ": " + describe(e), e))
                    .doOnSuccess(id -> metrics.published(stream))
                    .doOnError(e -> metrics.publishFailed(stream));
        });
    }

    private static String describe(Throwable e) {
        return e instanceof TimeoutException ? "Redis did not answer in time" : e.getMessage();
    }
}
