package dev.projectdashboard.devicebridge.upload;

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
 * @param timeout upper bound of one call to file-service
 */
@Validated
@ConfigurationProperties("dashboard.file-service")
public record FileServiceProperties(
        @NotNull
                @Pattern(
                        regexp = "https?://[^/\\s?#]+/?",
                        message = "must be an http(s) base URL such as http://localhost:8081")
                String url,
        @NotNull @DefaultValue("5s") Duration timeout) {}
