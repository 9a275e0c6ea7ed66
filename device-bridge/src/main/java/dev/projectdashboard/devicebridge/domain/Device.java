package dev.projectdashboard.devicebridge.domain;

import java.time.Instant;

/**
 * A registered camera.
 *
 * @param ownerId the user id ({@code sub}) that owns it and may watch it; {@code null} for admin-only devices
 * @param enabled a disabled device may not log in to the broker nor ask for upload URLs
 */
public record Device(
        String deviceId,
        String name,
        String ownerId,
        boolean enabled,
        Instant secretIssuedAt,
        Instant createdAt,
        Instant updatedAt,
        Instant lastSeenAt) {}
