package dev.projectdashboard.deploynotifier.outbox;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code dashboard.deploy.relay-*}: how events that were stored but not published (Redis was down and the sender did
 * not retry) reach the stream.
 *
 * @param relayInterval how often the relay looks for unpublished events; at least 1 ms
 * @param relayAfter how old an unpublished event must be before the relay sends it, so that the request that stored it
 *     goes first; zero or more
 */
@ConfigurationProperties("dashboard.deploy")
@Validated
public record RelayProperties(
        @DefaultValue("10s") @NotNull @DurationMin(millis = 1) Duration relayInterval,
        @DefaultValue("15s") @NotNull @DurationMin(millis = 0) Duration relayAfter) {}
