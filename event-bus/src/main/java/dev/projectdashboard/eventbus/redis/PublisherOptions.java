package dev.projectdashboard.eventbus.redis;

import java.time.Duration;
import java.util.Map;

/**
 * How the publisher writes; the defaults are {@link dev.projectdashboard.eventbus.autoconfigure.EventBusProperties}'s.
 *
 * @param timeout how long an XADD may take before the publish errors
 * @param defaultMaxlen approximate MAXLEN of a stream without its own entry in {@code maxlen}
 * @param maxlen approximate MAXLEN per stream name
 */
public record PublisherOptions(Duration timeout, long defaultMaxlen, Map<String, Long> maxlen) {

    public PublisherOptions {
        maxlen = maxlen == null ? Map.of() : Map.copyOf(maxlen);
    }

    public long maxlen(String stream) {
        return maxlen.getOrDefault(stream, defaultMaxlen);
    }
}
