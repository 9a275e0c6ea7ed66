package dev.projectdashboard.realtimeservice.channel;

import reactor.core.publisher.Mono;

/**
 * Who a channel belongs to, as the sequencer recorded it from the first event that said so ({@link
 * EventRouter#hasOwner}): a task's user, a deployment's project. What the policy asks at subscribe time; deliveries
 * carry the owner in their {@link Position}.
 */
public interface ChannelOwners {

    /**
     * The channel's owner; empty when it is not known (yet) or the channel has none. Fails with a {@code
     * RealtimeException} 108 (not available) when it cannot be read now.
     */
    Mono<String> ownerOf(ChannelName channel);
}
