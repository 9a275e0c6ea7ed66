package dev.projectdashboard.realtimeservice.config;

import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelPolicy;
import dev.projectdashboard.realtimeservice.channel.EventRouter;
import dev.projectdashboard.realtimeservice.cluster.RedisCluster;
import dev.projectdashboard.realtimeservice.fanout.FanoutTailer;
import dev.projectdashboard.realtimeservice.fanout.Sequencer;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.history.RedisChannelOwners;
import dev.projectdashboard.realtimeservice.history.RedisHistory;
import dev.projectdashboard.realtimeservice.hub.HubProperties;
import dev.projectdashboard.realtimeservice.hub.LocalHub;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.Disposable;
import reactor.util.retry.Retry;

/** Wires the delivery core: history, cluster state, the hub, the sequencer and the fan-out tailer. */
@Configuration(proxyBeanMethods = false)
public class DeliveryConfiguration {

    @Bean
    PublicationCodec publicationCodec(Clock clock) {
        return new PublicationCodec(clock);
    }

    @Bean
    EventRouter eventRouter() {
        return new EventRouter();
    }

    @Bean
    RedisHistory redisHistory(RedisConnections connections, PublicationCodec codec, HubProperties properties) {
        return new RedisHistory(connections, codec, properties);
    }

    @Bean
    RedisChannelOwners redisChannelOwners(RedisConnections connections) {
        return new RedisChannelOwners(connections);
    }

    @Bean
    RedisCluster redisCluster(
            RedisConnections connections, HubProperties properties, PublicationCodec codec, Clock clock) {
        return new RedisCluster(connections, properties, codec, clock);
    }

    @Bean
    LocalHub localHub(
            HubProperties properties,
            ChannelPolicy policy,
            RedisCluster cluster,
            RedisHistory history,
            ObjectProvider<MeterRegistry> registry) {
        return new LocalHub(
                properties, policy, cluster, cluster, history, registry.getIfAvailable(() -> Metrics.globalRegistry));
    }

    @Bean
    Sequencer sequencer(
            EventStreams streams,
            RedisConnections connections,
            EventRouter router,
            PublicationCodec codec,
            HubProperties properties) {
        return new Sequencer(streams, connections, router, codec, properties);
    }

    @Bean
    FanoutTailer fanoutTailer(
            EventStreams streams, RedisConnections connections, PublicationCodec codec, LocalHub hub) {
        return new FanoutTailer(streams, connections, codec, hub);
    }

    @Bean
    DeliveryLifecycle deliveryLifecycle(RedisCluster cluster, Sequencer sequencer, FanoutTailer tailer) {
        return new DeliveryLifecycle(cluster, sequencer, tailer);
    }

    /**
     * Starts the heartbeat, the fan-out tailer and the sequencer in the background (retrying while Redis is away,
     * so the service starts and reports not ready instead of failing), and stops them on shutdown.
     */
    static final class DeliveryLifecycle implements SmartLifecycle {

        private static final Logger log = LoggerFactory.getLogger(DeliveryLifecycle.class);

        private final RedisCluster cluster;
        private final Sequencer sequencer;
        private final FanoutTailer tailer;
        private volatile Disposable starting;
        private volatile boolean running;

        DeliveryLifecycle(RedisCluster cluster, Sequencer sequencer, FanoutTailer tailer) {
            this.cluster = cluster;
            this.sequencer = sequencer;
            this.tailer = tailer;
        }

        @Override
        public void start() {
            running = true;
            // the tailer first: publications sequenced from now on must find it listening
            starting = cluster.start()
                    .then(tailer.start())
                    .then(sequencer.start())
                    .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200))
                            .maxBackoff(Duration.ofSeconds(5))
                            .doBeforeRetry(signal -> log.warn(
                                    "starting the delivery core failed, retrying: {}",
                                    signal.failure().toString())))
                    .subscribe(null, e -> log.error("delivery core did not start", e));
        }

        @Override
        public void stop() {
            running = false;
            Disposable current = starting;
            if (current != null) {
                current.dispose();
            }
            sequencer.stop();
            tailer.stop();
            cluster.stop();
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
