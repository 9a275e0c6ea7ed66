package dev.projectdashboard.realtimeservice.fanout;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import java.time.Instant;
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

    /** The presence info JSON the presence scripts store and a presence entry carries, or null when malformed. */
    public static PresenceChange.ClientInfo clientInfo(JsonNode node) {
        if (node == null || !node.isObject()) {
            return null;
        }
        Instant connectedAt;
        try {
            connectedAt = Instant.parse(node.path("connected_at").asString());
        } catch (RuntimeException e) {
            connectedAt = Instant.EPOCH;
        }
        return new PresenceChange.ClientInfo(
                node.path("user_id").asString(),
                node.path("connection_id").asString(),
                node.path("transport").asString(),
                connectedAt);
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
