package dev.projectdashboard.devicebridge.domain;

/**
 * Source 001's {@code CloudUploader::Statistics}, per device, from the uploads the bridge recorded.
 *
 * @param averageSpeedKbps mean of the completed uploads' reported average speeds; {@code null} when none reported
 */
public record DeviceStatistics(
        String deviceId,
        long totalUploads,
        long successfulUploads,
        long failedUploads,
        long activeUploads,
        long bytesUploaded,
        Integer averageSpeedKbps) {}
