package dev.projectdashboard.pushservice.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * push-service's own settings ({@code dashboard.push}).
 *
 * @param encryptionKey base64 of the 32-byte AES-256-GCM key sealing webhook secrets and auth config
 *     ({@code PUSH_ENCRYPTION_KEY})
 * @param allowedPrivateNetworks CIDRs webhook URLs may reach although private or loopback, the only exception to the
 *     SSRF rules ({@code PUSH_ALLOWED_PRIVATE_NETWORKS}; local runs allow 127.0.0.0/8, production none)
 * @param hosts fixed addresses for host names, consulted before DNS, like {@code curl --resolve} (for tests and for
 *     endpoints DNS does not know); the SSRF rules still apply to them
 * @param fileServiceUrl file-service, which presigns {@code {{file_url}}} ({@code FILE_SERVICE_URL})
 * @param fileServiceTimeout upper bound of one call to file-service ({@code FILE_SERVICE_TIMEOUT})
 * @param consumerGroup the event-bus consumer group of all replicas: each event reaches one of them
 */
@Validated
@ConfigurationProperties("dashboard.push")
public record PushProperties(
        @NotBlank String encryptionKey,
        @NotNull @DefaultValue List<String> allowedPrivateNetworks,
        @NotNull @DefaultValue Map<String, String> hosts,
        @NotNull
                @Pattern(
                        regexp = "https?://[^/\\s?#]+/?",
                        message = "must be an http(s) base URL such as http://localhost:8081")
                String fileServiceUrl,
        @NotNull @DefaultValue("5s") Duration fileServiceTimeout,
        @NotBlank @DefaultValue("push-service") String consumerGroup) {}
