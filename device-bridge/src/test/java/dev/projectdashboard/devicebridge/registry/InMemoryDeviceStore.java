package dev.projectdashboard.devicebridge.registry;

import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link DeviceStore} in a map, for unit tests of what sits on top of the registry; the PostgreSQL store is what the
 * integration tests use.
 */
public final class InMemoryDeviceStore implements DeviceStore {

    private final Map<String, Stored> devices = new ConcurrentHashMap<>();

    /** A real registry over this store, caching for five seconds as by default, on the system clock. */
    public DeviceRegistry registry() {
        return new DeviceRegistry(this, new RegistryProperties(Duration.ofSeconds(5), false), Clock.systemUTC());
    }

    @Override
    public Mono<Device> insert(Device device, byte[] secretHash) {
        return Mono.fromSupplier(
                () -> devices.putIfAbsent(device.deviceId(), new Stored(device, secretHash)) == null ? device : null);
    }

    @Override
    public Mono<Stored> find(String deviceId) {
        return Mono.fromSupplier(() -> devices.get(deviceId));
    }

    @Override
    public Flux<Device> list(String ownerId, Set<String> deviceIds, boolean all, int limit, int offset) {
        return Flux.fromIterable(devices.values())
                .map(Stored::device)
                .filter(device -> all || ownerId.equals(device.ownerId()) || deviceIds.contains(device.deviceId()))
                .sort(Comparator.comparing(Device::createdAt).reversed())
                .skip(offset)
                .take(limit);
    }

    @Override
    public Mono<Device> update(
            String deviceId, String name, String ownerId, Boolean enabled, boolean clearOwner, Instant now) {
        return Mono.fromSupplier(() -> {
            Stored changed = devices.computeIfPresent(deviceId, (id, stored) -> {
                Device device = stored.device();
                return new Stored(
                        new Device(
                                id,
                                name != null ? name : device.name(),
                                clearOwner ? null : ownerId != null ? ownerId : device.ownerId(),
                                enabled != null ? enabled : device.enabled(),
                                device.secretIssuedAt(),
                                device.createdAt(),
                                now,
                                device.lastSeenAt()),
                        stored.secretHash());
            });
            return changed == null ? null : changed.device();
        });
    }

    @Override
    public Mono<Device> replaceSecret(String deviceId, byte[] secretHash, Instant now) {
        return Mono.fromSupplier(() -> {
            Stored changed = devices.computeIfPresent(deviceId, (id, stored) -> {
                Device device = stored.device();
                return new Stored(
                        new Device(
                                id,
                                device.name(),
                                device.ownerId(),
                                device.enabled(),
                                now,
                                device.createdAt(),
                                now,
                                device.lastSeenAt()),
                        secretHash);
            });
            return changed == null ? null : changed.device();
        });
    }

    @Override
    public Mono<Boolean> delete(String deviceId) {
        return Mono.fromSupplier(() -> devices.remove(deviceId) != null);
    }

    @Override
    public Mono<Void> seen(String deviceId, Instant at) {
        return Mono.empty();
    }

    @Override
    public Mono<DeviceStatistics> statistics(String deviceId) {
        return Mono.just(new DeviceStatistics(deviceId, 0, 0, 0, 0, 0, null));
    }
}
