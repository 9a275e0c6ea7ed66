package dev.projectdashboard.eventbus;

import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns envelopes into the JSON stored in a stream entry and back. Decoding keeps {@code data} as a
 * {@link JsonNode}, so an entry of a type this build does not know is still readable; {@link #data} converts it to
 * the typed record of its {@link EventType}.
 */
public final class EventCodec {

    private static final TypeReference<CloudEvent<JsonNode>> ENVELOPE = new TypeReference<>() {};

    private final JsonMapper mapper;

    public EventCodec() {
        this(defaultMapper());
    }

    public EventCodec(JsonMapper mapper) {
        this.mapper = mapper;
        warmUp();
    }

    /**
     * Builds the (de)serializers of the envelope and every payload now: Jackson creates them lazily under a lock,
     * and two event-loop threads meeting on that lock would block (BlockHound reports it).
     */
    private void warmUp() {
        mapper.readerFor(ENVELOPE);
        mapper.writerFor(CloudEvent.class);
        for (EventType type : EventType.values()) {
            mapper.readerFor(type.dataType());
            mapper.writerFor(type.dataType());
        }
    }

    /**
     * The mapper the event bus uses unless given one: RFC 3339 strings for times, and tolerant of attributes and
     * fields it does not know (CloudEvents extensions, newer producers).
     */
    public static JsonMapper defaultMapper() {
        return JsonMapper.builder()
                .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .build();
    }

    /** The envelope as the JSON text stored in the entry's {@code event} field. */
    public String encode(CloudEvent<?> event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JacksonException e) {
            throw new EventCodecException("cannot encode event " + event.id() + " of type " + event.type(), e);
        }
    }

    /** Reads an envelope; its data stays a {@link JsonNode}. */
    public CloudEvent<JsonNode> decode(String json) {
        if (json == null) {
            throw new EventCodecException("stream entry has no '" + Streams.EVENT_FIELD + "' field", null);
        }
        try {
            return mapper.readValue(json, ENVELOPE);
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new EventCodecException("not a CloudEvents 1.0 JSON envelope: " + e.getMessage(), e);
        }
    }

    /** The event's data converted to {@code dataType}. */
    public <T> T data(CloudEvent<JsonNode> event, Class<T> dataType) {
        try {
            return mapper.treeToValue(event.data(), dataType);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new EventCodecException(
                    "data of event " + event.id() + " (" + event.type() + ") is not a " + dataType.getSimpleName(), e);
        }
    }

    /**
     * The event's data as the record of its {@link EventType}, or the {@link JsonNode} itself for a type outside
     * the catalogue.
     */
    public Object data(CloudEvent<JsonNode> event) {
        return EventType.of(event.type())
                .<Object>map(known -> data(event, known.dataType()))
                .orElse(event.data());
    }

    /** The envelope with its data converted to the record of its type (see {@link #data(CloudEvent)}). */
    public CloudEvent<Object> typed(CloudEvent<JsonNode> event) {
        return event.withData(data(event));
    }

    /** Any value as a JSON tree, e.g. to fill {@code result_json} from a map. */
    public JsonNode toTree(Object value) {
        return mapper.valueToTree(value);
    }

    /** Thrown when an envelope or its data cannot be written or read. */
    public static final class EventCodecException extends RuntimeException {
        public EventCodecException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
