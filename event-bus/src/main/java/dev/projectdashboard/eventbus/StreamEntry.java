package dev.projectdashboard.eventbus;

import tools.jackson.databind.JsonNode;

/**
 * One decoded stream entry.
 *
 * @param stream the stream it was read from
 * @param id the Redis entry id, e.g. {@code 1700000000000-0}
 * @param event the envelope, data as JSON (convert with {@link EventCodec#data})
 * @param deliveryCount how often a consumer group has delivered it, this delivery included (1 for a tailer)
 */
public record StreamEntry(String stream, String id, CloudEvent<JsonNode> event, long deliveryCount) {}
