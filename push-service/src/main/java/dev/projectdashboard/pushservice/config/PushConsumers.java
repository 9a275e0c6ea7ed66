package dev.projectdashboard.pushservice.config;

import dev.projectdashboard.eventbus.Streams;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.GroupConsumer;
import dev.projectdashboard.pushservice.delivery.EventIntake;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Flux;

/**
 * One consumer group per domain stream a webhook may subscribe to (every stream but {@code events:webhooks}, whose
 * events would announce their own deliveries): each event reaches one replica. Stopped first on shutdown, so no new
 * event is taken while the service drains.
 */
class PushConsumers implements SmartLifecycle {

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final EventStreams streams;
    private final EventIntake intake;
    private final String group;
    private final List<GroupConsumer> consumers = new CopyOnWriteArrayList<>();

    PushConsumers(EventStreams streams, EventIntake intake, String group) {
        this.streams = streams;
        this.intake = intake;
        this.group = group;
    }

    @Override
    public void start() {
        for (String stream : Streams.DOMAIN) {
            if (!stream.equals(Streams.WEBHOOKS)) {
                consumers.add(streams.groupConsumer(stream, group, intake).start());
            }
        }
    }

    @Override
    public void stop() {
        Flux.fromIterable(consumers).flatMap(GroupConsumer::stop).then().block(STOP_TIMEOUT);
        consumers.clear();
    }

    @Override
    public boolean isRunning() {
        return !consumers.isEmpty();
    }

    @Override
    public int getPhase() {
        // stopped before the delivery scheduler (default phase) and the web server
        return Integer.MAX_VALUE - 1;
    }
}
