package dev.projectdashboard.devicebridge.registry;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The device registry.
 *
 * @param cacheTtl how long a replica reuses a device record it read (logins, requests); a change made on another
 *     replica (disable, new secret) reaches this one within this time ({@code DEVICES_CACHE_TTL})
 * @param autoRegister local development only: a request from an unknown device registers it, enabled and without
 *     owner, instead of being refused ({@code DEVICES_AUTO_REGISTER}); the {@code prod} profile refuses to start with it
 *     ({@link AutoRegistrationGuard}). Such a
 * device still needs a broker login when the broker checks them, so this only serves brokers without checks.
 */
@Validated
@ConfigurationProperties("dashboard.devices")
public record RegistryProperties(
        @NotNull @DefaultValue("5s") Duration cacheTtl, @DefaultValue("false") boolean autoRegister) {}
