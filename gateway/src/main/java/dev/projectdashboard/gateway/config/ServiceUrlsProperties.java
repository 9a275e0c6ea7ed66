package dev.projectdashboard.gateway.config;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Base URLs of the services behind the gateway ({@code dashboard.upstreams.*}). The routes in {@code application.yml}
 * and the starter's ready log read the same map, so a malformed URL fails start-up here with the property's name
 * instead of at the first request.
 *
 * @param fileService file-service base URL ({@code FILE_SERVICE_URL})
 * @param realtimeService realtime-service base URL ({@code REALTIME_SERVICE_URL}), also used for WebSockets
 * @param deviceBridge device-bridge base URL ({@code DEVICE_BRIDGE_URL})
 * @param pushService push-service base URL ({@code PUSH_SERVICE_URL})
 * @param deployNotifier deploy-notifier base URL ({@code DEPLOY_NOTIFIER_URL})
 */
@Validated
@ConfigurationProperties("dashboard.upstreams")
public record ServiceUrlsProperties(
        @NotBlank @Pattern(regexp = HTTP_URL, message = MESSAGE) String fileService,
        @NotBlank @Pattern(regexp = HTTP_URL, message = MESSAGE) String realtimeService,
        @NotBlank @Pattern(regexp = HTTP_URL, message = MESSAGE) String deviceBridge,
        @NotBlank @Pattern(regexp = HTTP_URL, message = MESSAGE) String pushService,
        @NotBlank @Pattern(regexp = HTTP_URL, message = MESSAGE) String deployNotifier) {

    // plain http(s) base URL without path: the routes append the backend path themselves
    static final String HTTP_URL = "https?://[^/\\s?#]+/?";
    static final String MESSAGE = "must be an http(s) base URL such as http://localhost:8081";

    /** The services by name, in a stable order. */
    public Map<String, URI> byName() {
        Map<String, URI> services = new LinkedHashMap<>();
        services.put("file-service", URI.create(fileService));
        services.put("realtime-service", URI.create(realtimeService));
        services.put("device-bridge", URI.create(deviceBridge));
        services.put("push-service", URI.create(pushService));
        services.put("deploy-notifier", URI.create(deployNotifier));
        return services;
    }
}
