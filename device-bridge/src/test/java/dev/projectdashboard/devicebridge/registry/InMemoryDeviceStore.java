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
import java.util.function.UnaryOperator;
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
        return change(
                deviceId,
                stored -> new Stored(
                        new Device(
                                deviceId,
                                name != null ? name : stored.device().name(),
                                clearOwner
                                        ? null
                                        : ownerId != null
                                                ? ownerId
                                                : stored.device().ownerId(),
                                enabled != null ? enabled : stored.device().enabled(),
                                stored.device().secretIssuedAt(),
                                stored.device().createdAt(),
                                now,
                                stored.device().lastSeenAt()),
                        stored.secretHash()));
    }

    @Override
    public Mono<Device> replaceSecret(String deviceId, byte[] secretHash, Instant now) {
        return change(
                deviceId,
                stored -> new Stored(
                        new Device(
                                deviceId,
                                stored.device().name(),
                                stored.device().ownerId(),
                                stored.device().enabled(),
                                now,
                                stored.device().createdAt(),
                                now,
                                stored.device().lastSeenAt()),
                        secretHash));
    }

    /** The device as {@code change} leaves it, or empty when there is none. */
    private Mono<Device> change(String deviceId, UnaryOperator<Stored> change) {
        return Mono.fromSupplier(() -> {
            Stored changed = devices.computeIfPresent(deviceId, (id, stored) -> change.apply(stored));
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
