package dev.projectdashboard.realtimeservice.hub;

/**
 * A client's last known position in a channel, sent with {@code subscribe} to recover what it missed.
 *
 * @param offset the offset of the last publication it received
 * @param epoch the channel epoch that offset belongs to
 */
public record Since(long offset, String epoch) {}
