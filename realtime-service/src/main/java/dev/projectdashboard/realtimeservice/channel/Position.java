package dev.projectdashboard.realtimeservice.channel;

/**
 * Where the sequencer put an event in one of its channels.
 *
 * @param channel the channel name
 * @param offset the event's offset in the channel (0 for an ephemeral publication, which has no place)
 * @param epoch the channel's epoch that offset belongs to ({@code ""} for an ephemeral publication)
 * @param owner who the channel belongs to, as recorded when the event was sequenced ({@link EventRouter#hasOwner}):
 *     a task's user, a deployment's project; {@code ""} when not known (yet) or the channel has no owner
 */
public record Position(String channel, long offset, String epoch, String owner) {

    public Position {
        owner = owner == null ? "" : owner;
    }

    /** A position in a channel without a known owner. */
    public Position(String channel, long offset, String epoch) {
        this(channel, offset, epoch, "");
    }
}
