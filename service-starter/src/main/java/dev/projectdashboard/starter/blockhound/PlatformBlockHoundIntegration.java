package dev.projectdashboard.starter.blockhound;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * Short, bounded locks inside the web stack every service runs on, which BlockHound reports when two event loops
 * meet on them. Loaded by BlockHound through {@code META-INF/services} in every service's tests.
 */
public final class PlatformBlockHoundIntegration implements BlockHoundIntegration {

    @Override
    public void applyTo(BlockHound.Builder builder) {
        // Netty 4.2's default allocator takes a magazine's StampedLock for a moment when it grows or frees one
        builder.allowBlockingCallsInside(
                "io.netty.buffer.AdaptivePoolingAllocator$MagazineGroup", "tryExpandMagazines");
        builder.allowBlockingCallsInside("io.netty.buffer.AdaptivePoolingAllocator$Magazine", "free");
    }
}
