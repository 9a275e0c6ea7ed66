package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where a channel stands (epoch, newest offset, owner) and what a client missed since its position: what a
 * subscribe reads before it goes live. A read the store ran and refused fails with {@link ReadRefused} (the same
 * read fails again); any other failure means the store is unavailable for now.
 */
public interface ChannelPositions {

    /** Whether channels keep history at all. */
    boolean recoverable();

    /** The channel's position only (no publications). */
    Mono<Recovery> position(ChannelName channel);

    /** The publications after {@code since}, all of them or none. */
    Mono<Recovery> recover(ChannelName channel, Since since);

    /**
     * What a subscriber missed since its position.
     *
     * @param epoch the channel's current epoch (created by the first read or publication)
     * @param top the channel's newest offset
     * @param publications the missed ones in order when {@code recovered}, else empty
     * @param recovered every publication after {@code since} is here (same epoch, nothing trimmed, within the
     *     recovery limit)
     * @param owner who the channel belongs to as far as known at that position ({@code ""}: not known, or none)
     */
    record Recovery(String epoch, long top, List<Publication> publications, boolean recovered, String owner) {}

    /** The store ran the read and refused it: trying again gets the same, so it is a bug, not "try again". */
    final class ReadRefused extends RuntimeException {

        public ReadRefused(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
