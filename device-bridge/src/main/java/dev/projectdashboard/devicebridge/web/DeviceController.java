package dev.projectdashboard.devicebridge.web;

import dev.projectdashboard.devicebridge.broker.BrokerAccess;
import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceStatistics;
import dev.projectdashboard.devicebridge.persistence.DeviceQueries;
import dev.projectdashboard.devicebridge.registry.DeviceRegistry;
import dev.projectdashboard.starter.problem.FieldViolation;
import dev.projectdashboard.starter.problem.ProblemException;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * The device registry (gateway path {@code /project-dashboard/api/v1/devices/**}): admins register, change, disable,
 * delete devices and rotate their secrets; a user reads the devices they own or that their token's {@code devices}
 * claim names. A device the user may not see is a 404, like one that does not exist.
 */
@RestController
@RequestMapping("/api/v1/devices")
class DeviceController {

    private static final String ID_RULE = "must be 1-64 characters of ASCII letters, digits, _ and -";

    private final DeviceRegistry registry;
    private final DeviceQueries queries;
    private final BrokerAccess.BridgeLogin bridge;

    DeviceController(DeviceRegistry registry, DeviceQueries queries, BrokerAccess.BridgeLogin bridge) {
        this.registry = registry;
        this.queries = queries;
        this.bridge = bridge;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Mono<DeviceViews.Credentials> register(
            @AuthenticationPrincipal DashboardPrincipal user, @Valid @RequestBody DeviceViews.Registration body) {
        requireAdmin(user);
        if (body.deviceId().equals(bridge.username())) {
            throw ProblemException.invalid(
                    "Invalid request body",
                    List.of(new FieldViolation("device_id", "is the bridge's own broker username")));
        }
        return registry.register(
                        body.deviceId(),
                        body.name() == null ? body.deviceId() : body.name(),
                        body.ownerId(),
                        body.enabled() == null || body.enabled())
                .map(registered -> new DeviceViews.Credentials(
                        DeviceViews.DeviceView.of(registered.device(), null),
                        registered.device().deviceId(),
                        registered.secret()))
                .switchIfEmpty(Mono.error(new ProblemException(
                        HttpStatus.CONFLICT, "Device " + body.deviceId() + " is already registered")));
    }

    @GetMapping
    Mono<DeviceViews.DeviceList> list(
            @AuthenticationPrincipal DashboardPrincipal user,
            @RequestParam(defaultValue = "100")
                    @Min(value = 1, message = "must be between 1 and 1000")
                    @Max(value = 1000, message = "must be between 1 and 1000")
                    int limit,
            @RequestParam(defaultValue = "0") @Min(value = 0, message = "must not be negative") int offset) {
        boolean all = user.isAdmin() || user.devices().contains(DashboardPrincipal.ANY);
        return queries.list(user.userId(), user.devices(), all, limit, offset)
                .concatMap(device -> queries.current(device.deviceId())
                        .map(Optional::of)
                        .defaultIfEmpty(Optional.empty())
                        .map(current -> DeviceViews.DeviceView.of(device, current.orElse(null))))
                .collectList()
                .map(DeviceViews.DeviceList::new);
    }

    @GetMapping("/{id}")
    Mono<DeviceViews.DeviceView> get(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id) {
        return visible(user, id).flatMap(device -> queries.current(id)
                .map(Optional::of)
                .defaultIfEmpty(Optional.empty())
                .map(current -> DeviceViews.DeviceView.of(device, current.orElse(null))));
    }

    /** Changes {@code name}, {@code owner_id} ({@code null} removes the owner) and {@code enabled}; others stay. */
    @PatchMapping("/{id}")
    Mono<DeviceViews.DeviceView> update(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id,
            @RequestBody JsonNode body) {
        requireAdmin(user);
        DeviceChange change = DeviceChange.of(body);
        return registry.update(id, change.name(), change.ownerId(), change.enabled(), change.clearOwner())
                .switchIfEmpty(Mono.error(notFound(id)))
                .map(device -> DeviceViews.DeviceView.of(device, null));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id) {
        requireAdmin(user);
        return registry.delete(id)
                .flatMap(deleted ->
                        deleted ? Mono.just(ResponseEntity.noContent().<Void>build()) : Mono.error(notFound(id)));
    }

    /** A new secret; the old one stops working (on other replicas within the registry's cache TTL). */
    @PostMapping("/{id}/secret")
    Mono<DeviceViews.Credentials> rotate(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id) {
        requireAdmin(user);
        return registry.rotateSecret(id)
                .switchIfEmpty(Mono.error(notFound(id)))
                .map(rotated -> new DeviceViews.Credentials(
                        DeviceViews.DeviceView.of(rotated.device(), null), id, rotated.secret()));
    }

    /** Newest first; {@code before} is the previous page's {@code next_before}. */
    @GetMapping("/{id}/uploads")
    Mono<DeviceViews.UploadPage> uploads(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id,
            @RequestParam(defaultValue = "50")
                    @Min(value = 1, message = "must be between 1 and 500")
                    @Max(value = 500, message = "must be between 1 and 500")
                    int limit,
            @RequestParam(required = false) String before) {
        Instant cursor = before(before);
        return visible(user, id).flatMap(device -> queries.history(id, cursor, limit)
                .map(DeviceViews.UploadView::of)
                .collectList()
                .map(items -> new DeviceViews.UploadPage(
                        items,
                        items.size() < limit
                                ? null
                                : items.get(items.size() - 1).requestedAt())));
    }

    @GetMapping("/{id}/uploads/{requestId}")
    Mono<DeviceViews.UploadView> upload(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id,
            @PathVariable String requestId) {
        return visible(user, id).flatMap(device -> queries.upload(id, requestId)
                .map(DeviceViews.UploadView::of)
                .switchIfEmpty(Mono.error(new ProblemException(HttpStatus.NOT_FOUND, "No such upload"))));
    }

    /** Source 001's {@code Statistics} for one device. */
    @GetMapping("/{id}/statistics")
    Mono<DeviceStatistics> statistics(
            @AuthenticationPrincipal DashboardPrincipal user,
            @PathVariable @Pattern(regexp = DeviceViews.ID_REGEX, message = ID_RULE) String id) {
        return visible(user, id).flatMap(device -> queries.statistics(id));
    }

    private Mono<Device> visible(DashboardPrincipal user, String id) {
        return registry.find(id)
                .filter(device -> user.mayActForDevice(id) || user.userId().equals(device.ownerId()))
                .switchIfEmpty(Mono.error(notFound(id)));
    }

    private static void requireAdmin(DashboardPrincipal user) {
        if (!user.isAdmin()) {
            throw new ProblemException(HttpStatus.FORBIDDEN, "Only an admin may change the device registry");
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(HttpStatus.NOT_FOUND, "No device " + id);
    }

    private static Instant before(String before) {
        if (before == null || before.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(before);
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(
                    "Invalid query parameter",
                    List.of(new FieldViolation("before", "must be an RFC 3339 time such as 2025-07-11T14:30:22Z")));
        }
    }
}
