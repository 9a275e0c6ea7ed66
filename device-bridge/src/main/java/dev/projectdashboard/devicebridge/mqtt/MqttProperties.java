package dev.projectdashboard.devicebridge.mqtt;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The MQTT broker the cameras talk to.
 *
 * @param host broker host ({@code MQTT_HOST})
 * @param port broker port ({@code MQTT_PORT})
 * @param clientId this replica's client identifier ({@code MQTT_CLIENT_ID}); must differ between replicas
 * @param username the bridge's own broker login ({@code MQTT_USERNAME}); the broker-auth endpoint grants it the
 *     bridge's topics
 * @param password its password ({@code MQTT_PASSWORD}, a development default the {@code prod} profile refuses)
 * @param shareGroup the shared-subscription group every replica joins, so each request reaches one of them
 * @param keepAlive keep-alive interval announced to the broker
 * @param reconnectMaxDelay upper bound of the exponential back-off between reconnect attempts
 */
@Validated
@ConfigurationProperties("dashboard.mqtt")
public record MqttProperties(
        @NotBlank String host,
        @Min(1) @Max(65535) int port,
        // MQTT 3.1.1 brokers only have to accept 23 characters; MQTT 5 allows up to 65535 bytes
        @NotBlank @Size(max = 128) String clientId,
        @NotBlank @DefaultValue("device-bridge") String username,
        @NotBlank String password,
        @NotBlank
                @Pattern(regexp = "[A-Za-z0-9_-]{1,64}", message = "must be 1-64 letters, digits, _ or -")
                @DefaultValue("device-bridge")
                String shareGroup,
        @NotNull @DefaultValue("30s") Duration keepAlive,
        @NotNull @DefaultValue("30s") Duration reconnectMaxDelay) {}
