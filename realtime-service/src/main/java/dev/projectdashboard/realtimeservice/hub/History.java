package dev.projectdashboard.realtimeservice.hub;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.util.List;
import reactor.core.publisher.Mono;

/** Read access to a channel's history (the {@code GET /api/v1/realtime/history/{channel}} API). */
public interface History {

    /**
     * @param since return publications after this offset; {@code null} for the newest {@code limit}
     * @param limit at most this many, oldest first
     */
    Mono<Page> read(ChannelName channel, Long since, int limit);

    /**
     * @param epoch the channel's epoch
     * @param offset the newest offset in the channel (0 when it has no history)
     * @param publications oldest first
     * @param complete {@code since} was given and nothing between it and the first returned publication is missing
     */
    record Page(String channel, String epoch, long offset, List<Publication> publications, boolean complete) {}
}
