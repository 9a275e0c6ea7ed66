package dev.projectdashboard.eventbus.redis;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Short, bounded locks inside the libraries the event bus runs on, which BlockHound would report when two event
 * loops meet on them. Reporting them is worse than useless: BlockHound throws from inside the lock, which leaves
 * Lettuce's write lock half-taken and every later command spinning forever. Loaded by BlockHound through
 * {@code META-INF/services}, so every application (and test) using the event bus gets it.
 */
public final class EventBusBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Lettuce guards each command write with a lock that a reconnect holds for a moment
        for (String method :
                new String[] {"incrementWriters", "decrementWriters", "doExclusive", "lockWritersExclusive"}) {
            builder.allowBlockingCallsInside("io.lettuce.core.protocol.SharedLock", method);
        }
        // Jackson builds a (de)serializer once per type under a lock; EventCodec warms the known ones up
        builder.allowBlockingCallsInside(
                "tools.jackson.databind.deser.DeserializerCache", "_createAndCacheValueDeserializer");
    }
}
