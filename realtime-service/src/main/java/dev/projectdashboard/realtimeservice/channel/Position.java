package dev.projectdashboard.realtimeservice.channel;

/**
 * Where the sequencer put an event in one of its channels.
 *
 * @param channel the channel name
 * @param offset the event's offset in the channel (0 for an ephemeral publication, which has no place)
 * @param epoch the channel's epoch that offset belongs to ({@code ""} for an ephemeral publication)
 */
public record Position(String channel, long offset, String epoch) {}
