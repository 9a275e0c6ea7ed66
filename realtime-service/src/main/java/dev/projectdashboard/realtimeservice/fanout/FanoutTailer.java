package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.StreamEntry;
import dev.projectdashboard.eventbus.redis.EventStreams;
import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.history.PublicationCodec;
import dev.projectdashboard.realtimeservice.hub.CloseReason;
import dev.projectdashboard.realtimeservice.hub.LocalHub;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Tails {@code rt:fanout} and hands each entry to this replica's hub: publications at their positions, ephemeral
 * publications, presence changes and forced disconnects. One subscriber in stream order, so each channel's
 * publications reach the hub in offset order.
 */
public final class FanoutTailer {

    private static final Logger log = LoggerFactory.getLogger(FanoutTailer.class);

    private final EventStreams streams;
    private final RedisConnections connections;
    private final PublicationCodec codec;
    private final LocalHub hub;
    private volatile Disposable running;

    public FanoutTailer(EventStreams streams, RedisConnections connections, PublicationCodec codec, LocalHub hub) {
        this.streams = streams;
        this.connections = connections;
        this.codec = codec;
        this.hub = hub;
    }

    /** Starts after the stream's current last entry; completes once that position is fixed. */
    public Mono<Void> start() {
        if (running != null) {
            return Mono.empty(); // a retried start: running already
        }
        return Sequencer.StreamPositions.latest(connections, List.of(FanoutEntries.STREAM))
                .doOnNext(from -> running =
                        streams.tail(from).subscribe(this::handle, e -> log.error("fan-out tailer stopped", e)))
                .then();
    }

    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
    }

    void handle(StreamEntry entry) {
        CloudEvent<JsonNode> event = entry.event();
        JsonNode data = event.data();
        if (data == null || !data.isObject()) {
            return;
        }
        try {
            switch (event.type()) {
                case FanoutEntries.PUBLICATION -> publication(data);
                case FanoutEntries.EPHEMERAL ->
                    hub.dispatch(codec.decode(data.path("channel").asString(), 0, "", data.get("pub")));
                case FanoutEntries.PRESENCE -> {
                    PresenceChange.ClientInfo info = FanoutEntries.clientInfo(data.get("info"));
                    if (info != null) {
                        hub.presenceChanged(
                                data.path("channel").asString(),
                                new PresenceChange(data.path("kind").asString(), info));
                    }
                }
                case FanoutEntries.DISCONNECT ->
                    hub.closeLocal(data.path("user_id").asString(), CloseReason.FORCED);
                default -> log.debug("ignoring fan-out entry {} of type {}", entry.id(), event.type());
            }
        } catch (RuntimeException e) {
            // one malformed entry must not stop delivery of the others
            log.warn("cannot deliver fan-out entry {}: {}", entry.id(), e.toString());
        }
    }

    private void publication(JsonNode data) {
        JsonNode pub = data.get("pub");
        JsonNode positionsNode = data.get("pos");
        if (pub == null || positionsNode == null || !positionsNode.isArray() || positionsNode.isEmpty()) {
            return;
        }
        // decoded once: every channel of the event, and every connection, shares it
        List<Position> positions = codec.positions(positionsNode);
        hub.dispatch(codec.decode(pub, positions.get(0), positions));
    }
}
