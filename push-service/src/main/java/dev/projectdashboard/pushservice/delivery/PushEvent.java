package dev.projectdashboard.pushservice.delivery;

import java.time.Instant;
import tools.jackson.databind.JsonNode;

/** An event to deliver, as it came from the event bus: its id, type, subject, task, time and {@code data}. */
public record PushEvent(String eventId, String type, String subject, String taskId, Instant time, JsonNode data) {}
