package dev.projectdashboard.devicebridge.registry;

import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import java.time.Instant;
import java.util.Set;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Where registered devices are kept. */
public interface DeviceStore {

    /** A device with the hash of its secret, as the registry checks logins against it. */
    record Stored(Device device, byte[] secretHash) {}

    /** Inserts the device; completes empty when the id is taken. */
    Mono<Device> insert(Device device, byte[] secretHash);

    Mono<Stored> find(String deviceId);

    /** Newest first; {@code {@code ownerId} limits to devices owned by that user or named in {@code deviceIds}. */
    Flux<Device> list(String ownerId, Set<String> deviceIds, boolean all, int limit, int offset);

    Mono<Device> update(String deviceId, String name, String ownerId, Boolean enabled, boolean clearOwner, Instant now);

    Mono<Device> replaceSecret(String deviceId, byte[] secretHash, Instant now);

    Mono<Boolean> delete(String deviceId);

    Mono<Void> seen(String deviceId, Instant at);

    Mono<DeviceStatistics> statistics(String deviceId);
}
