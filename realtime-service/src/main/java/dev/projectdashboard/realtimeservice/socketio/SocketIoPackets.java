package dev.projectdashboard.realtimeservice.socketio;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The text wire format of Engine.IO v4 (one packet per WebSocket text frame, first character = packet type) and of
 * the Socket.IO v5 packets it carries in its {@code message} packets: {@code 4<type>[<nsp>,][<ack id>][<json>]},
 * the namespace left out when it is {@code /}. Binary packets (types 5 and 6) are recognised only to be refused:
 * this endpoint carries JSON.
 *
 * <p>Written by hand because no maintained Java Socket.IO server fits WebFlux; the format is a few characters of
 * framing around JSON, which Jackson parses.
 */
public final class SocketIoPackets {

    /** Engine.IO packet types, the first character of every frame. */
    public static final char OPEN = '0';

    public static final char CLOSE = '1';
    public static final char PING = '2';
    public static final char PONG = '3';
    public static final char MESSAGE = '4';
    public static final char UPGRADE = '5';
    public static final char NOOP = '6';

    /** The namespace every client connects to unless it names another. */
    public static final String DEFAULT_NAMESPACE = "/";

    /** The Engine.IO ping frame, sent by the server every ping interval (v4: the server pings). */
    public static final String PING_FRAME = String.valueOf(PING);

    // a key given twice is malformed: which one counts would depend on the parser (JSON.parse keeps the last)
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    // Socket.IO ids of acknowledgements: the JS client counts from 0 and the parser reads them as a JS number
    private static final long MAX_ACK_ID = (1L << 53) - 1;

    private SocketIoPackets() {}

    /** Socket.IO packet types, the character after the Engine.IO {@code 4}. */
    public enum Type {
        CONNECT,
        DISCONNECT,
        EVENT,
        ACK,
        CONNECT_ERROR,
        BINARY_EVENT,
        BINARY_ACK;

        char code() {
            return (char) ('0' + ordinal());
        }
    }

    /**
     * A decoded Socket.IO packet.
     *
     * @param type the packet type
     * @param namespace the namespace, {@code /} when the packet named none
     * @param ackId the acknowledgement id, or {@code null}
     * @param data the JSON payload, or {@code null} when the packet had none
     */
    public record Packet(Type type, String namespace, Long ackId, JsonNode data) {

        /** For an {@code EVENT}: its name (first array element). */
        public String eventName() {
            return data.get(0).asString();
        }

        /** For an {@code EVENT}: the argument at {@code index} after the name, or {@code null}. */
        public JsonNode argument(int index) {
            return data.size() > index + 1 ? data.get(index + 1) : null;
        }
    }

    /** A frame this endpoint cannot understand; the stock server closes the connection for these, and so do we. */
    public static final class MalformedPacketException extends IllegalArgumentException {

        MalformedPacketException(String message) {
            super(message, null);
        }
    }

    /**
     * Decodes the Socket.IO packet of an Engine.IO {@code message} frame.
     *
     * @param frame the whole text frame, starting with {@code 4}
     * @throws MalformedPacketException when the frame is not a valid Socket.IO packet (unknown type, bad
     *     namespace, JSON that is not valid for the packet type, a key given twice); never any other exception
     */
    public static Packet decode(String frame) {
        if (frame.length() < 2 || frame.charAt(0) != MESSAGE) {
            throw new MalformedPacketException("not an Engine.IO message packet");
        }
        int i = 1;
        int typeCode = frame.charAt(i++) - '0';
        if (typeCode < 0 || typeCode >= Type.values().length) {
            throw new MalformedPacketException("unknown Socket.IO packet type");
        }
        Type type = Type.values()[typeCode];
        if (type == Type.BINARY_EVENT || type == Type.BINARY_ACK) {
            // "<attachments>-" precedes the namespace; binary attachments are not supported, so just reject
            throw new MalformedPacketException("binary packets are not supported");
        }
        String namespace = DEFAULT_NAMESPACE;
        if (i < frame.length() && frame.charAt(i) == '/') {
            int comma = frame.indexOf(',', i);
            int end = comma < 0 ? frame.length() : comma;
            namespace = frame.substring(i, end);
            i = comma < 0 ? end : end + 1;
        }
        Long ackId = null;
        int idStart = i;
        while (i < frame.length() && Character.isDigit(frame.charAt(i))) {
            i++;
        }
        if (i > idStart) {
            if (i - idStart > 16) {
                throw new MalformedPacketException("acknowledgement id too long");
            }
            long id = Long.parseLong(frame, idStart, i, 10);
            if (id > MAX_ACK_ID) {
                throw new MalformedPacketException("acknowledgement id too large");
            }
            ackId = id;
        }
        JsonNode data = null;
        if (i < frame.length()) {
            try {
                data = JSON.readTree(frame.substring(i));
            } catch (JacksonException e) {
                throw new MalformedPacketException("payload is not JSON");
            }
        }
        if (!validPayload(type, data)) {
            throw new MalformedPacketException("invalid payload for a " + type + " packet");
        }
        return new Packet(type, namespace, ackId, data);
    }

    // the same checks the reference parser makes before handing a packet to the server
    private static boolean validPayload(Type type, JsonNode data) {
        return switch (type) {
            case CONNECT -> data == null || data.isObject();
            case DISCONNECT -> data == null;
            case CONNECT_ERROR -> data != null && (data.isObject() || data.isString());
            case EVENT ->
                data != null && data.isArray() && !data.isEmpty() && data.get(0).isString();
            case ACK -> data != null && data.isArray();
            case BINARY_EVENT, BINARY_ACK -> false;
        };
    }

    /** The Engine.IO open packet: {@code 0{"sid",...}}. */
    public static String open(String sid, long pingIntervalMillis, long pingTimeoutMillis, long maxPayload) {
        ObjectNode open = JSON.createObjectNode().put("sid", sid);
        open.putArray("upgrades");
        open.put("pingInterval", pingIntervalMillis)
                .put("pingTimeout", pingTimeoutMillis)
                .put("maxPayload", maxPayload);
        return OPEN + open.toString();
    }

    /** The answer to a successful CONNECT: {@code 40[<nsp>,]{"sid":…}}. */
    public static String connect(String namespace, String socketId) {
        return encode(Type.CONNECT, namespace, null, JSON.createObjectNode().put("sid", socketId));
    }

    /**
     * A refused CONNECT: {@code 44[<nsp>,]{"message":…,"data":…}}; the stock client fires {@code connect_error} with
     * {@code err.message} and {@code err.data} and does not retry on its own.
     *
     * @param data extra details ({@code err.data}), or {@code null}
     */
    public static String connectError(String namespace, String message, JsonNode data) {
        ObjectNode payload = JSON.createObjectNode().put("message", message);
        if (data != null) {
            payload.set("data", data);
        }
        return encode(Type.CONNECT_ERROR, namespace, null, payload);
    }

    /** A server-side DISCONNECT of a namespace: the client will not reconnect on its own ({@code io server disconnect}). */
    public static String disconnect(String namespace) {
        return encode(Type.DISCONNECT, namespace, null, null);
    }

    /** An event without acknowledgement: {@code 42[<nsp>,]["name",args...]}. */
    public static String event(String namespace, String name, JsonNode... args) {
        ArrayNode array = JSON.createArrayNode().add(name);
        for (JsonNode arg : args) {
            array.add(arg);
        }
        return encode(Type.EVENT, namespace, null, array);
    }

    /** The acknowledgement of a client event with id {@code ackId}: {@code 43[<nsp>,]<id>[args...]}. */
    public static String ack(String namespace, long ackId, JsonNode... args) {
        ArrayNode array = JSON.createArrayNode();
        for (JsonNode arg : args) {
            array.add(arg);
        }
        return encode(Type.ACK, namespace, ackId, array);
    }

    /** Any packet, for callers that already hold the JSON. */
    public static String encode(Type type, String namespace, Long ackId, JsonNode data) {
        return prefix(type, namespace, ackId) + (data == null ? "" : data.toString());
    }

    /**
     * The framing in front of a JSON payload: {@code 4<type>[<nsp>,][<id>]}. Lets a caller append JSON it rendered
     * once for many connections (a publication's frame) without re-encoding it.
     */
    public static String prefix(Type type, String namespace, Long ackId) {
        StringBuilder frame =
                new StringBuilder(8 + namespace.length()).append(MESSAGE).append(type.code());
        if (!DEFAULT_NAMESPACE.equals(namespace)) {
            frame.append(namespace).append(',');
        }
        if (ackId != null) {
            frame.append(ackId);
        }
        return frame.toString();
    }

    /** The mapper the codec builds payloads with (plain Jackson defaults), for building arguments. */
    public static JsonMapper json() {
        return JSON;
    }
}
