package dev.projectdashboard.deploynotifier.deployment;

import dev.projectdashboard.eventbus.CloudEvent;

/** An event a delivery produced, with the JSON it is stored in the outbox and published as. */
public record OutgoingEvent(CloudEvent<?> event, String json) {}
