package dev.projectdashboard.realtimeservice.channel;

import reactor.core.publisher.Mono;

/**
 * Who may read which channel: decided from the token's claims ({@code roles}, {@code projects}, {@code devices},
 * {@code sub}), the channels' owners, the public projects for readers without a token and, for channel prefixes
 * configured so, the subscribe proxy. Refusal is a {@code RealtimeException} with code 103 (permission denied); a
 * proxy that does not answer in time is a refusal too.
 */
public interface ChannelPolicy {

    Mono<Void> authorizeSubscribe(Reader reader, ChannelName channel);

    /** Client publish (e.g. typing indicators): only on prefixes configured to allow it, and only by readers. */
    Mono<Void> authorizePublish(Reader reader, ChannelName channel);

    /** What a subscription does with one delivery ({@link #delivery}). */
    enum Delivery {
        /** Deliver it. */
        DELIVER,
        /** Not this one (its channel's owner is not known yet); the subscription stays. */
        SKIP,
        /** The channel turned out to be someone else's: end the subscription with a permission-denied error. */
        REVOKE
    }

    /**
     * Decides each delivery to a subscription on a channel whose owner the events say ({@link Position#owner}): a
     * subscription made before the owner was known must not get someone else's events. Called for every delivery
     * on the fan-out thread: must be quick and must not block. Policies without owner rules deliver everything.
     */
    default Delivery delivery(Reader reader, Position position) {
        return Delivery.DELIVER;
    }
}
