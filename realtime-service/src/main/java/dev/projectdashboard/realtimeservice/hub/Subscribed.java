package dev.projectdashboard.realtimeservice.hub;

/**
 * The answer to a subscribe: the channel's position when the subscription became live.
 *
 * @param channel the channel name
 * @param epoch the channel's current epoch
 * @param offset the offset of the newest publication in the channel's history (0 when none)
 * @param recoverable whether the channel keeps history (so a later {@code since} can recover)
 * @param recovered {@code since} was given and every missed publication was replayed, in order; {@code false} when
 *     {@code since} was given but the gap is gone (trimmed, expired, other epoch): then nothing was replayed
 * @param replayed how many publications were replayed
 */
public record Subscribed(
        String channel, String epoch, long offset, boolean recoverable, boolean recovered, int replayed) {}
