package dev.projectdashboard.realtimeservice.history;

import dev.projectdashboard.eventbus.redis.RedisConnections;
import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.ChannelOwners;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import reactor.core.publisher.Mono;

/** Channel owners in Redis, {@code rt:owner:{channel}}, written by the sequencer ({@code publish.lua}). */
public final class RedisChannelOwners implements ChannelOwners {

    public static final String PREFIX = "rt:owner:";

    private final RedisConnections connections;

    public RedisChannelOwners(RedisConnections connections) {
        this.connections = connections;
    }

    @Override
    public Mono<String> ownerOf(ChannelName channel) {
        return connections
                .commands()
                .flatMap(redis -> redis.get(PREFIX + channel))
                .timeout(connections.commandTimeout())
                .onErrorMap(
                        e -> !(e instanceof RealtimeException),
                        e -> new RealtimeException(
                                RealtimeException.NOT_AVAILABLE,
                                "who " + channel + " belongs to cannot be read now, try again"));
    }
}
