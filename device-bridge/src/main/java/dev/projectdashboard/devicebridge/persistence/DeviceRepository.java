package dev.projectdashboard.devicebridge.persistence;

import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import dev.projectdashboard.devicebridge.registry.DeviceStore;
import io.r2dbc.spi.Readable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Set;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.Parameter;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The registry's table, {@code devices.device}. */
@Repository
class DeviceRepository implements DeviceStore {

    private static final String COLUMNS = "device_id, name, owner_id, enabled, secret_hash, secret_issued_at,"
            + " created_at, updated_at, last_seen_at";

    private final DatabaseClient database;

    DeviceRepository(DatabaseClient database) {
        this.database = database;
    }

    @Override
    public Mono<Device> insert(Device device, byte[] secretHash) {
        return database.sql("insert into device (" + COLUMNS + ") values (:id, :name, :owner, :enabled, :hash,"
                        + " :issued, :created, :updated, null) on conflict (device_id) do nothing returning " + COLUMNS)
                .bind("id", device.deviceId())
                .bind("name", device.name())
                .bind("owner", nullable(device.ownerId()))
                .bind("enabled", device.enabled())
                .bind("hash", secretHash)
                .bind("issued", at(device.secretIssuedAt()))
                .bind("created", at(device.createdAt()))
                .bind("updated", at(device.updatedAt()))
                .map(DeviceRepository::device)
                .one();
    }

    @Override
    public Mono<Stored> find(String deviceId) {
        return database.sql("select " + COLUMNS + " from device where device_id = :id")
                .bind("id", deviceId)
                .map(row -> new Stored(device(row), row.get("secret_hash", byte[].class)))
                .one();
    }

    @Override
    public Flux<Device> list(String ownerId, Set<String> deviceIds, boolean all, int limit, int offset) {
        String where = all ? "" : " where owner_id = :owner or device_id = any(:ids)";
        DatabaseClient.GenericExecuteSpec spec = database.sql("select " + COLUMNS + " from device" + where
                        + " order by device_id limit :limit offset :offset")
                .bind("limit", limit)
                .bind("offset", offset);
        if (!all) {
            spec = spec.bind("owner", ownerId).bind("ids", deviceIds.toArray(String[]::new));
        }
        return spec.map(DeviceRepository::device).all();
    }

    @Override
    public Mono<Device> update(
            String deviceId, String name, String ownerId, Boolean enabled, boolean clearOwner, Instant now) {
        return database.sql("update device set name = coalesce(:name, name),"
                        + " owner_id = case when :clear then null else coalesce(:owner, owner_id) end,"
                        + " enabled = coalesce(:enabled, enabled), updated_at = :now"
                        + " where device_id = :id returning " + COLUMNS)
                .bind("id", deviceId)
                .bind("name", nullable(name))
                .bind("owner", nullable(ownerId))
                .bind("clear", clearOwner)
                .bind("enabled", enabled == null ? Parameter.empty(Boolean.class) : Parameter.from(enabled))
                .bind("now", at(now))
                .map(DeviceRepository::device)
                .one();
    }

    @Override
    public Mono<Device> replaceSecret(String deviceId, byte[] secretHash, Instant now) {
        return database.sql("update device set secret_hash = :hash, secret_issued_at = :now, updated_at = :now"
                        + " where device_id = :id returning " + COLUMNS)
                .bind("id", deviceId)
                .bind("hash", secretHash)
                .bind("now", at(now))
                .map(DeviceRepository::device)
                .one();
    }

    @Override
    public Mono<Boolean> delete(String deviceId) {
        return database.sql("delete from device where device_id = :id")
                .bind("id", deviceId)
                .fetch()
                .rowsUpdated()
                .map(rows -> rows > 0);
    }

    @Override
    public Mono<Void> seen(String deviceId, Instant at) {
        return database.sql("update device set last_seen_at = greatest(coalesce(last_seen_at, :at), :at)"
                        + " where device_id = :id")
                .bind("id", deviceId)
                .bind("at", at(at))
                .fetch()
                .rowsUpdated()
                .then();
    }

    @Override
    public Mono<DeviceStatistics> statistics(String deviceId) {
        return database.sql("select count(*) as total,"
                        + " count(*) filter (where status = 'completed') as successful,"
                        + " count(*) filter (where status = 'failed') as failed,"
                        + " count(*) filter (where status in ('requested', 'started', 'in_progress')) as active,"
                        + " coalesce(sum(file_size) filter (where status = 'completed'), 0) as bytes,"
                        + " avg(speed_kbps) filter (where status = 'completed') as speed"
                        + " from device_upload where device_id = :id")
                .bind("id", deviceId)
                .map(row -> {
                    BigDecimal speed = row.get("speed", BigDecimal.class);
                    return new DeviceStatistics(
                            deviceId,
                            row.get("total", Long.class),
                            row.get("successful", Long.class),
                            row.get("failed", Long.class),
                            row.get("active", Long.class),
                            ((Number) row.get("bytes")).longValue(),
                            speed == null ? null : speed.intValue());
                })
                .one();
    }

    static Device device(Readable row) {
        return new Device(
                row.get("device_id", String.class),
                row.get("name", String.class),
                row.get("owner_id", String.class),
                Boolean.TRUE.equals(row.get("enabled", Boolean.class)),
                instant(row, "secret_issued_at"),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                instant(row, "last_seen_at"));
    }

    static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static OffsetDateTime at(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Parameter nullable(String value) {
        return Parameter.fromOrEmpty(value, String.class);
    }
}
