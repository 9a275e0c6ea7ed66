package dev.projectdashboard.pushservice.webhook;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Registration settings ({@code dashboard.push.webhooks}).
 *
 * @param defaultTimeout a webhook's timeout when its registration gives none (source 003's {@code PUSH_TIMEOUT}:
 *     30 s) ({@code PUSH_TIMEOUT})
 * @param maxTimeout the longest timeout a registration may ask for
 * @param rotationGrace how long the previous secret keeps signing after a rotation
 * @param cacheTtl how long a replica matches events against its copy of the enabled webhooks before reading them
 *     again: another replica's change is seen within this time, this replica's at once
 */
@Validated
@ConfigurationProperties("dashboard.push.webhooks")
public record WebhookProperties(
        @NotNull @DefaultValue("30s") Duration defaultTimeout,
        @NotNull @DefaultValue("60s") Duration maxTimeout,
        @NotNull @DefaultValue("24h") Duration rotationGrace,
        @NotNull @DefaultValue("2s") Duration cacheTtl) {}
