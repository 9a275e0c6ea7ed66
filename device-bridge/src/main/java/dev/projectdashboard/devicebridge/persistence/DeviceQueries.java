package dev.projectdashboard.devicebridge.persistence;

import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import dev.projectdashboard.devicebridge.domain.Upload;
import java.time.Instant;
import java.util.Set;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** What the registry API reads: devices, their uploads and statistics. */
@Component
public class DeviceQueries {

    private final DeviceRepository devices;
    private final UploadRepository uploads;

    DeviceQueries(DeviceRepository devices, UploadRepository uploads) {
        this.devices = devices;
        this.uploads = uploads;
    }

    /** All devices, or those owned by {@code userId} or named in {@code deviceIds}; by id. */
    public Flux<Device> list(String userId, Set<String> deviceIds, boolean all, int limit, int offset) {
        return devices.list(userId, deviceIds, all, limit, offset);
    }

    public Mono<Upload> current(String deviceId) {
        return uploads.current(deviceId);
    }

    public Flux<Upload> history(String deviceId, Instant before, int limit) {
        return uploads.history(deviceId, before, limit);
    }

    public Mono<Upload> upload(String deviceId, String requestId) {
        return uploads.find(deviceId, requestId);
    }

    public Mono<DeviceStatistics> statistics(String deviceId) {
        return devices.statistics(deviceId);
    }
}
