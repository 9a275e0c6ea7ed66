package dev.projectdashboard.devicebridge.registry;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceIds;
import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.UploadRefused;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The registered cameras: registration with a secret shown once, secret rotation, and the checks every broker login
 * and upload request makes. Device records are cached for {@link RegistryProperties#cacheTtl()}: a login storm or a
 * request burst reads each device once.
 */
@Service
public class DeviceRegistry {

    private static final Logger log = LoggerFactory.getLogger(DeviceRegistry.class);

    /** {@code last_seen_at} is written at most this often per device and replica. */
    private static final Duration SEEN_INTERVAL = Duration.ofSeconds(10);

    /** A new device and its secret, which exists nowhere else once this has been shown. */
    public record Registered(Device device, String secret) {}

    private final DeviceStore store;
    private final RegistryProperties properties;
    private final Clock clock;
    private final AsyncCache<String, Optional<DeviceStore.Stored>> cache;
    private final Map<String, Instant> lastWritten = new ConcurrentHashMap<>();

    DeviceRegistry(DeviceStore store, RegistryProperties properties, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .expireAfterWrite(properties.cacheTtl())
                .maximumSize(100_000)
                .buildAsync();
    }

    /** Registers the device with a new secret; completes empty when the id is taken. */
    public Mono<Registered> register(String deviceId, String name, String ownerId, boolean enabled) {
        return newSecret().flatMap(secret -> {
            Instant now = clock.instant();
            Device device = new Device(deviceId, name, ownerId, enabled, now, now, now, null);
            return store.insert(device, DeviceSecrets.hash(secret))
                    .doOnNext(stored -> forget(deviceId))
                    .map(stored -> new Registered(stored, secret));
        });
    }

    /** Replaces the device's secret; the old one stops working at once on this replica, within the cache TTL on others. */
    public Mono<Registered> rotateSecret(String deviceId) {
        return newSecret().flatMap(secret -> store.replaceSecret(deviceId, DeviceSecrets.hash(secret), clock.instant())
                .doOnNext(device -> forget(deviceId))
                .map(device -> new Registered(device, secret)));
    }

    /** SecureRandom may read the OS's entropy source, a file: never on an event loop. */
    private static Mono<String> newSecret() {
        return Mono.fromCallable(DeviceSecrets::generate).subscribeOn(Schedulers.boundedElastic());
    }

    public Mono<Device> update(String deviceId, String name, String ownerId, Boolean enabled, boolean clearOwner) {
        return store.update(deviceId, name, ownerId, enabled, clearOwner, clock.instant())
                .doOnNext(device -> forget(deviceId));
    }

    public Mono<Boolean> delete(String deviceId) {
        return store.delete(deviceId).doOnNext(deleted -> forget(deviceId));
    }

    /** The device, uncached: what the API shows. */
    public Mono<Device> find(String deviceId) {
        return store.find(deviceId).map(DeviceStore.Stored::device);
    }

    /** Whether {@code secret} is the current secret of an enabled device. */
    public Mono<Boolean> authenticate(String deviceId, String secret) {
        if (!DeviceIds.isValid(deviceId) || secret == null || secret.isEmpty()) {
            return Mono.just(false);
        }
        return cached(deviceId).map(found -> found.map(
                        stored -> stored.device().enabled() && DeviceSecrets.matches(secret, stored.secretHash()))
                .orElse(false));
    }

    /**
     * The device if it may ask for uploads: registered and enabled (or registered now, when auto-registration is on);
     * errors with {@link UploadRefused} {@code UNAUTHORIZED} otherwise.
     */
    public Mono<Device> requireEnabled(String deviceId) {
        return cached(deviceId).flatMap(found -> {
            if (found.isPresent()) {
                Device device = found.get().device();
                return device.enabled()
                        ? Mono.just(device)
                        : Mono.error(new UploadRefused(ErrorCode.UNAUTHORIZED, "Device is disabled"));
            }
            if (properties.autoRegister()) {
                log.info("Registering unknown device {} (dashboard.devices.auto-register is on)", deviceId);
                return register(deviceId, deviceId, null, true)
                        .map(Registered::device)
                        .switchIfEmpty(Mono.defer(() -> store.find(deviceId).map(DeviceStore.Stored::device)));
            }
            return Mono.error(new UploadRefused(ErrorCode.UNAUTHORIZED, "Device not authorized"));
        });
    }

    /** Records that the device was heard from, at most every few seconds per device. */
    public Mono<Void> seen(String deviceId) {
        Instant now = clock.instant();
        Instant last = lastWritten.get(deviceId);
        if (last != null && last.plus(SEEN_INTERVAL).isAfter(now)) {
            return Mono.empty();
        }
        lastWritten.put(deviceId, now);
        return store.seen(deviceId, now).onErrorResume(error -> {
            log.debug("last_seen_at of {} not written: {}", deviceId, error.toString());
            return Mono.empty();
        });
    }

    private Mono<Optional<DeviceStore.Stored>> cached(String deviceId) {
        return Mono.fromFuture(() -> cache.get(deviceId, (id, executor) -> store.find(id)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .toFuture()));
    }

    private void forget(String deviceId) {
        cache.synchronous().invalidate(deviceId);
    }
}
