package dev.projectdashboard.devicebridge.storage;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * file-service, which presigns the upload URLs the bridge hands to cameras. Not part of readiness: without it
 * the bridge still answers devices, with an error response.
 *
 * @param url file-service base URL ({@code FILE_SERVICE_URL})
 * @param timeout upper bound of one call to file-service ({@code FILE_SERVICE_TIMEOUT})
 * @param maxConnections connections kept to file-service per replica
 * @param maxIdleTime a pooled connection idle this long is closed, below file-service's keep-alive timeout so the
 *     bridge never sends on a connection the server is closing
 * @param presignBatch presign requests sent in one call at most ({@code FILE_SERVICE_PRESIGN_BATCH}; file-service takes
 *     up to 100); requests that arrive while {@code presignCalls} calls are out wait and go together in the next
 * @param presignCalls presign calls out at once per replica ({@code FILE_SERVICE_PRESIGN_CALLS})
 */
@Validated
@ConfigurationProperties("dashboard.file-service")
public record FileServiceProperties(
        @NotNull
                @Pattern(
                        regexp = "https?://[^/\\s?#]+/?",
                        message = "must be an http(s) base URL such as http://localhost:8081")
                String url,
        @NotNull @DefaultValue("5s") Duration timeout,
        @Min(1) @DefaultValue("100") int maxConnections,
        @NotNull @DefaultValue("30s") Duration maxIdleTime,
        @Min(1) @Max(100) @DefaultValue("50") int presignBatch,
        @Min(1) @DefaultValue("4") int presignCalls) {}
