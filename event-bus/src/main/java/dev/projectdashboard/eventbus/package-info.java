/**
 * The event bus API of docs/contracts.md, "Events": the CloudEvents envelope ({@link dev.projectdashboard.eventbus.CloudEvent}),
 * stream names ({@link dev.projectdashboard.eventbus.Streams}), event types
 * ({@link dev.projectdashboard.eventbus.EventTypes}, {@link dev.projectdashboard.eventbus.EventType}) and the JSON
 * codec; publishing and consuming live in {@code redis}, Spring Boot wiring in {@code autoconfigure}.
 */
package dev.projectdashboard.eventbus;
