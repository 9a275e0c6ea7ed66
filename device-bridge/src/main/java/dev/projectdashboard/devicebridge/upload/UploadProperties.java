package dev.projectdashboard.devicebridge.upload;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How upload requests are answered.
 *
 * @param maxFileSize largest {@code file_size} answered with a URL; above it {@code FILE_TOO_LARGE}
 *     ({@code DEVICES_MAX_FILE_SIZE})
 * @param allowedContentTypes content types devices may upload, {@code type/*} wildcards allowed; others get
 *     {@code UNSUPPORTED_TYPE} ({@code DEVICES_ALLOWED_CONTENT_TYPES})
 * @param urlExpiry lifetime of the upload URLs handed out (source 001: one hour) ({@code DEVICES_URL_EXPIRY})
 * @param rateLimit requests each device may send per {@code rateWindow}, across all replicas; more get
 *     {@code RATE_LIMITED} ({@code DEVICES_RATE_LIMIT})
 * @param rateWindow the window of {@code rateLimit} ({@code DEVICES_RATE_WINDOW})
 * @param queue the priority queue between the subscription and the signing calls
 */
@Validated
@ConfigurationProperties("dashboard.uploads")
public record UploadProperties(
        @NotNull @DefaultValue("5GB") DataSize maxFileSize,
        @NotEmpty @DefaultValue({"video/*", "image/*", "application/octet-stream"})
                List<@NotBlank String> allowedContentTypes,
        @NotNull @DefaultValue("1h") Duration urlExpiry,
        @Min(1) @DefaultValue("60") int rateLimit,
        @NotNull @DefaultValue("1m") Duration rateWindow,
        @NotNull @Valid @DefaultValue Queue queue) {

    /**
     * @param capacity requests waiting at most; when full, a request of higher priority than the lowest waiting one
     *     takes its place (that one is answered {@code RATE_LIMITED}), otherwise the new one is
     *     ({@code DEVICES_QUEUE_CAPACITY})
     * @param concurrency requests being signed at once per replica ({@code DEVICES_QUEUE_CONCURRENCY})
     */
    public record Queue(
            @Min(1) @Max(1_000_000) @DefaultValue("10000") int capacity,
            @Min(1) @Max(10_000) @DefaultValue("64") int concurrency) {}

    /** Whether {@code contentType} (parameters ignored) matches one of the allowed types. */
    public boolean allows(String contentType) {
        String type = contentType.split(";", 2)[0].trim().toLowerCase(java.util.Locale.ROOT);
        for (String allowed : allowedContentTypes) {
            String pattern = allowed.trim().toLowerCase(java.util.Locale.ROOT);
            if (pattern.equals(type)
                    || (pattern.endsWith("/*") && type.startsWith(pattern.substring(0, pattern.length() - 1)))) {
                return true;
            }
        }
        return false;
    }
}
