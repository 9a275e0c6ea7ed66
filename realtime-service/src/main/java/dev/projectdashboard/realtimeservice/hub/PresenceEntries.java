package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import reactor.core.publisher.Mono;

/** Who is subscribed to a channel with presence, on every replica: the hub adds and removes its own connections. */
public interface PresenceEntries {

    /** Adds a connection to a channel's presence, with a {@code join} when the namespace has join/leave. */
    Mono<Void> presenceJoin(ChannelName channel, PresenceChange.ClientInfo info);

    /** Removes a connection from a channel's presence, with a {@code leave} when the namespace has join/leave. */
    Mono<Void> presenceLeave(ChannelName channel, String connectionId);
}
