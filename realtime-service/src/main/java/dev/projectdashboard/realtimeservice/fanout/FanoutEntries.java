package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The entries of {@code rt:fanout}, the stream every replica tails to deliver to its own connections. Each is a
 * CloudEvents envelope in the {@code event} field (so the event bus's tailer reads it like a domain stream) with one
 * of these types:
 *
 * <ul>
 *   <li>{@value #PUBLICATION}: {@code {"pos":[[channel, offset, epoch], ...], "pub":{type, id, time, data}}},
 *       written by {@code publish.lua} together with the offsets, so fan-out order is offset order;
 *   <li>{@value #EPHEMERAL}: {@code {"channel", "pub"}}, delivered with offset 0 and kept nowhere;
 *   <li>{@value #DISCONNECT}: {@code {"user_id"}}, every replica closes that user's connections;
 *   <li>{@value #PRESENCE}: {@code {"channel", "kind": "join"|"leave", "info"}}, written by the presence scripts.
 * </ul>
 */
public final class FanoutEntries {

    public static final String STREAM = "rt:fanout";
    public static final String SOURCE = "/realtime-service";
    public static final String PUBLICATION = "realtime.publication";
    public static final String EPHEMERAL = "realtime.ephemeral";
    public static final String DISCONNECT = "realtime.disconnect";
    public static final String PRESENCE = "realtime.presence";

    private final JsonMapper mapper;

    public FanoutEntries(JsonMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The envelope of a publication around the positions only {@code publish.lua} knows: the script writes
     * {@code head + positions + tail}.
     */
    public String[] publicationHeadAndTail(String eventId, String publicationJson) {
        String head = "{\"specversion\":\"1.0\",\"id\":" + mapper.writeValueAsString(eventId) + ",\"source\":\""
                + SOURCE + "\",\"type\":\"" + PUBLICATION + "\",\"data\":{\"pos\":";
        String tail = ",\"pub\":" + publicationJson + "}}";
        return new String[] {head, tail};
    }

    public String ephemeral(String channel, JsonNode publication) {
        ObjectNode data = mapper.createObjectNode();
        data.put("channel", channel);
        data.set("pub", publication);
        return envelope(EPHEMERAL, data);
    }

    public String disconnect(String userId) {
        ObjectNode data = mapper.createObjectNode();
        data.put("user_id", userId);
        return envelope(DISCONNECT, data);
    }

    private String envelope(String type, ObjectNode data) {
        ObjectNode node = mapper.createObjectNode();
        node.put("specversion", CloudEvent.SPEC_VERSION);
        node.put("id", CloudEvent.newId());
        node.put("source", SOURCE);
        node.put("type", type);
        node.set("data", data);
        return mapper.writeValueAsString(node);
    }
}
