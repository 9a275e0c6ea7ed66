package dev.projectdashboard.realtimeservice.channel;

import dev.projectdashboard.starter.security.DashboardPrincipal;
import reactor.core.publisher.Mono;

/**
 * Who may read which channel: decided from the token's claims ({@code roles}, {@code projects}, {@code devices},
 * {@code sub}) and, for channel prefixes configured so, by the subscribe proxy. Refusal is a {@code
 * RealtimeException} with code 103 (permission denied); a proxy that does not answer in time is a refusal too.
 */
public interface ChannelPolicy {

    Mono<Void> authorizeSubscribe(DashboardPrincipal principal, ChannelName channel);

    /** Client publish (e.g. typing indicators): only on prefixes configured to allow it, and only by readers. */
    Mono<Void> authorizePublish(DashboardPrincipal principal, ChannelName channel);
}
