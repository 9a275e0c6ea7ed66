package dev.projectdashboard.devicebridge.broker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The broker-auth endpoint's rules beyond the registry.
 *
 * @param clientIdMustMatch a device's MQTT client id must be its device id, or start with it followed by {@code :}
 *     ({@code DEVICES_CLIENT_ID_MUST_MATCH}); otherwise a device could log in under another
 *     device's client id and so push it off the broker (session take-over)
 */
@Validated
@ConfigurationProperties("dashboard.broker-auth")
public record BrokerProperties(@DefaultValue("true") boolean clientIdMustMatch) {}
