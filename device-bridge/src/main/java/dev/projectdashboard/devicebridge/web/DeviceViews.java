package dev.projectdashboard.devicebridge.web;

import dev.projectdashboard.devicebridge.domain.Device;
import dev.projectdashboard.devicebridge.domain.DeviceIds;
import dev.projectdashboard.devicebridge.domain.Upload;
import dev.projectdashboard.starter.security.DashboardPrincipal;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** Bodies of the device registry API (snake_case on the wire, docs/device-bridge.md). */
final class DeviceViews {

    static final String ID_REGEX = "[A-Za-z0-9_-]{1,64}";
    static final String USER_REGEX = "[A-Za-z0-9_.@+-]{1,128}";

    private DeviceViews() {}

    record Registration(
            @NotNull(message = "must be " + DeviceIds.RULE)
                    @Pattern(regexp = ID_REGEX, message = "must be " + DeviceIds.RULE)
                    String deviceId,
            @Size(min = 1, max = 200, message = "must be 1-200 characters") String name,
            @Pattern(regexp = USER_REGEX, message = "must be " + DashboardPrincipal.USER_ID_RULE) String ownerId,
            Boolean enabled) {}

    record DeviceView(
            String deviceId,
            String name,
            String ownerId,
            boolean enabled,
            Instant createdAt,
            Instant updatedAt,
            Instant lastSeenAt,
            Instant secretIssuedAt,
            UploadView currentUpload) {

        static DeviceView of(Device device, Upload current) {
            return new DeviceView(
                    device.deviceId(),
                    device.name(),
                    device.ownerId(),
                    device.enabled(),
                    device.createdAt(),
                    device.updatedAt(),
                    device.lastSeenAt(),
                    device.secretIssuedAt(),
                    current == null ? null : UploadView.of(current));
        }
    }

    /**
     * A device and its broker login, answered once at registration and at each rotation: the secret is stored only as
     * a hash and cannot be shown again.
     */
    record Credentials(DeviceView device, String mqttUsername, String mqttPassword) {}

    record DeviceList(List<DeviceView> devices) {}

    record UploadView(
            String requestId,
            String cloudFilePath,
            String fileName,
            String contentType,
            long fileSize,
            int priority,
            String status,
            String localFilePath,
            BigDecimal progressPercentage,
            Long bytesUploaded,
            Integer uploadSpeedKbps,
            Integer estimatedTimeRemainingSec,
            Integer uploadDurationSec,
            Integer retryCount,
            int requestCount,
            boolean multipart,
            Boolean verified,
            String errorCode,
            String errorMessage,
            Instant requestedAt,
            Instant startedAt,
            Instant finishedAt,
            Instant updatedAt,
            Instant urlExpiresAt) {

        static UploadView of(Upload upload) {
            return new UploadView(
                    upload.requestId(),
                    upload.objectKey(),
                    upload.fileName(),
                    upload.contentType(),
                    upload.fileSize(),
                    upload.priority().value(),
                    upload.state().value(),
                    upload.localFilePath(),
                    upload.progressPercent(),
                    upload.bytesUploaded(),
                    upload.speedKbps(),
                    upload.etaSec(),
                    upload.durationSec(),
                    upload.retryCount(),
                    upload.requestCount(),
                    upload.multipart(),
                    upload.verified(),
                    upload.errorCode(),
                    upload.errorMessage(),
                    upload.requestedAt(),
                    upload.startedAt(),
                    upload.finishedAt(),
                    upload.updatedAt(),
                    upload.urlExpiresAt());
        }
    }

    record UploadPage(List<UploadView> uploads, Instant nextBefore) {}
}
