package dev.projectdashboard.devicebridge.upload;

import java.time.Duration;
import reactor.core.publisher.Mono;

/** Counts each device's requests across replicas. */
public interface RateLimiter {

    /** Whether the device may send one more request in the current window of {@code window}. */
    Mono<Boolean> tryAcquire(String deviceId, int limit, Duration window);
}
