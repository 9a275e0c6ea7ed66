package dev.projectdashboard.realtimeservice.history;

import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.realtimeservice.channel.Position;
import dev.projectdashboard.realtimeservice.channel.Publication;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON a publication is kept as in a channel's history and carried in the fan-out stream: {@code {"type",
 * "id", "time", "data"}}, the CloudEvent attributes a client sees. Offset and epoch are not in it: they are the
 * history entry's id and the channel's meta, or the fan-out entry's positions; an event published on several channels
 * keeps all its positions beside it in each of their histories.
 */
public final class PublicationCodec {

    private final JsonMapper mapper;
    private final Clock clock;

    /** @param clock the time of a publication stored without a readable one */
    public PublicationCodec(Clock clock) {
        this(EventCodec.defaultMapper(), clock);
    }

    public PublicationCodec(JsonMapper mapper, Clock clock) {
        this.mapper = mapper;
        this.clock = clock;
        // build the tree (de)serializers now: Jackson creates them under a lock an event loop must not meet
        mapper.readTree("{\"a\":[1,\"b\",{}]}");
        mapper.writeValueAsString(mapper.createObjectNode().put("a", 1));
    }

    public JsonMapper mapper() {
        return mapper;
    }

    /** The stored form of an event's attributes and data. */
    public String encode(String type, String eventId, Instant time, JsonNode data) {
        ObjectNode node = mapper.createObjectNode();
        node.put("type", type);
        node.put("id", eventId);
        if (time != null) {
            node.put("time", time.toString());
        }
        node.set("data", data == null ? mapper.nullNode() : data);
        return mapper.writeValueAsString(node);
    }

    /** A stored publication at its position. */
    public Publication decode(String channel, long offset, String epoch, String json) {
        try {
            return decode(channel, offset, epoch, mapper.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a stored publication: " + e.getOriginalMessage(), e);
        }
    }

    /** A publication from its parsed stored form; {@code data} is written back to JSON once here. */
    public Publication decode(String channel, long offset, String epoch, JsonNode node) {
        return decode(node, new Position(channel, offset, epoch), null);
    }

    /**
     * An event from its parsed stored form at all its positions, named after one of them.
     *
     * @param positions every position of the event ({@link #positions}); {@code null} when only {@code named} is known
     */
    public Publication decode(JsonNode node, Position named, List<Position> positions) {
        return new Publication(
                named,
                text(node, "type"),
                text(node, "id"),
                time(node.get("time")),
                dataJson(node.get("data")),
                positions);
    }

    /**
     * The positions {@code publish.lua} writes into fan-out entries and histories: {@code [[channel, offset, epoch],
     * ...]}, in the sequencer's order, with the channel's owner as a fourth element where it is known.
     */
    public List<Position> positions(JsonNode array) {
        List<Position> positions = new ArrayList<>(array.size());
        for (JsonNode position : array) {
            positions.add(new Position(
                    position.get(0).asString(),
                    position.get(1).asLong(),
                    position.get(2).asString(),
                    position.size() > 3 ? position.get(3).asString() : ""));
        }
        return positions;
    }

    /** {@link #positions(JsonNode)} from JSON text. */
    public List<Position> positions(String json) {
        try {
            return positions(mapper.readTree(json));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a list of positions: " + e.getOriginalMessage(), e);
        }
    }

    /** The JSON text of a data node ({@code null} when absent). */
    public String dataJson(JsonNode data) {
        return data == null || data.isMissingNode() ? "null" : mapper.writeValueAsString(data);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? "" : value.asString();
    }

    private Instant time(JsonNode value) {
        if (value == null || !value.isString()) {
            return clock.instant();
        }
        try {
            return Instant.parse(value.asString());
        } catch (DateTimeParseException e) {
            return clock.instant();
        }
    }
}
