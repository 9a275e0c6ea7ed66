package dev.projectdashboard.realtimeservice.nativews;

import dev.projectdashboard.realtimeservice.channel.ChannelName;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.RealtimeException;
import dev.projectdashboard.realtimeservice.hub.Since;
import dev.projectdashboard.realtimeservice.hub.Subscribed;
import java.time.Clock;
import java.time.Instant;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The frames of the native protocol (docs/contracts.md, Realtime channels and protocols): every frame is {@code {"event":…,"data":{…}}}. The
 * server's publications add {@code channel}, {@code offset} and the CloudEvent {@code type}, and carry the CloudEvent
 * {@code data} verbatim; a client's frames are read into {@link Request}s ({@link #parse}).
 */
final class NativeFrames {

    /** The key of this wire format in {@link Publication#frame}. */
    static final Object FORMAT = NativeFrames.class;

    // client frames: a key given twice is refused (which one counts would depend on the parser), so is anything after
    // the object; Jackson's limits (nesting depth, number and string lengths) stay as they are
    private static final JsonMapper CLIENT_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final JsonMapper json;
    private final Clock clock;

    NativeFrames(JsonMapper json, Clock clock) {
        this.clock = clock;
        this.json = json;
    }

    /** A client's request: what one frame asks for, checked. */
    sealed interface Request {

        /** The contract's (docs/contracts.md) {@code ping}: answered with {@code pong}. */
        record Ping() implements Request {}

        /** @param since the position to recover from, or {@code null} */
        record Subscribe(ChannelName channel, Since since) implements Request {}

        record Unsubscribe(ChannelName channel) implements Request {}

        /** @param token the new JWT, not verified yet */
        record Refresh(String token) implements Request {}

        /** @param dataJson what to publish, as JSON */
        record Publish(ChannelName channel, String dataJson) implements Request {}
    }

    /**
     * A frame the server cannot act on: answered with {@code error} 107, and the connection stays.
     *
     * @see #parse
     */
    static final class BadFrameException extends IllegalArgumentException {

        private final String request;
        private final String channel;

        BadFrameException(String message, String request, String channel) {
            super(message, null);
            this.request = request;
            this.channel = channel;
        }

        /** The event of the refused frame, when it names one worth repeating; else {@code null}. */
        String request() {
            return request;
        }

        /** The channel concerned, when known; else {@code null}. */
        String channel() {
            return channel;
        }
    }

    /**
     * Reads one client frame: {@code {"event":"ping"}}, {@code subscribe} and {@code unsubscribe} with {@code
     * {"channel":C}} or the contract's (docs/contracts.md) {@code {"task_id":T}} ({@code task:T}), {@code subscribe} optionally with {@code
     * "since":{"offset":N,"epoch":E}} (N a whole number from 0), {@code refresh} with {@code {"token":JWT}}, {@code
     * publish} with {@code {"channel":C,"data":…}}.
     *
     * @throws BadFrameException for anything else: no JSON object, a key given twice, an unknown event, a malformed
     *     channel or position. Never any other exception.
     */
    static Request parse(String text) {
        JsonNode frame;
        try {
            frame = CLIENT_JSON.readTree(text);
        } catch (JacksonException e) {
            throw new BadFrameException("frame is not a JSON object (or a key is given twice)", null, null);
        }
        JsonNode eventNode = frame == null ? null : frame.get("event");
        if (eventNode == null || !eventNode.isString()) {
            throw new BadFrameException("frame has no event", null, null);
        }
        String event = eventNode.asString();
        JsonNode data = frame.path("data");
        return switch (event) {
            case "ping" -> new Request.Ping();
            case "subscribe" -> {
                ChannelName channel = channelOf(data, event);
                yield new Request.Subscribe(channel, since(data.get("since"), channel));
            }
            case "unsubscribe" -> new Request.Unsubscribe(channelOf(data, event));
            case "refresh" -> {
                JsonNode token = data.get("token");
                if (token == null || !token.isString() || token.asString().isBlank()) {
                    throw new BadFrameException("refresh needs a token", event, null);
                }
                yield new Request.Refresh(token.asString());
            }
            case "publish" -> {
                ChannelName channel = channelOf(data, event);
                JsonNode payload = data.get("data");
                if (payload == null) {
                    throw new BadFrameException("publish needs data", event, channel.toString());
                }
                yield new Request.Publish(channel, CLIENT_JSON.writeValueAsString(payload));
            }
            default -> throw new BadFrameException("unknown event", RealtimeException.requestName(event), null);
        };
    }

    /** {@code {"channel":"…"}} or the contract's (docs/contracts.md) {@code {"task_id":"…"}} (a string or a whole number). */
    private static ChannelName channelOf(JsonNode data, String request) {
        try {
            JsonNode taskId = data.get("task_id");
            if (taskId != null && (taskId.isString() || taskId.isIntegralNumber())) {
                return ChannelName.of(ChannelName.TASK, taskId.asString());
            }
            if (taskId != null && !taskId.isNull()) {
                throw new IllegalArgumentException("task_id must be a task id (a string)");
            }
            JsonNode channel = data.get("channel");
            return ChannelName.parse(channel != null && channel.isString() ? channel.asString() : null);
        } catch (IllegalArgumentException e) {
            throw new BadFrameException(e.getMessage(), request, null);
        }
    }

    /**
     * A subscribe's {@code since}: absent or {@code null} for none; otherwise an offset the client can have seen (a
     * whole number from 0; one beyond the channel's newest is answered {@code recovered: false} by the hub) and the
     * epoch it belongs to.
     */
    private static Since since(JsonNode since, ChannelName channel) {
        if (since == null || since.isNull()) {
            return null;
        }
        JsonNode offset = since.get("offset");
        JsonNode epoch = since.get("epoch");
        if (!since.isObject()
                || offset == null
                || !offset.isIntegralNumber()
                || !offset.canConvertToLong()
                || offset.asLong() < 0
                || epoch == null
                || !epoch.isString()) {
            throw new BadFrameException(
                    "since needs an offset (a whole number from 0) and an epoch (a string)",
                    "subscribe",
                    channel.toString());
        }
        return new Since(offset.asLong(), epoch.asString());
    }

    /**
     * {@code {"event":E,"channel":C,"offset":N,"type":T,"data":{…}}}, written by hand around the raw data so the
     * producer's JSON is passed on untouched and rendered once per replica. An event the connection receives on
     * several of its channels comes once, with the others after the offset: {@code "also":[{"channel":C2,
     * "offset":N2}]}, so the client's position advances in each.
     */
    static String publication(Publication publication) {
        StringBuilder frame = new StringBuilder(96 + publication.dataJson().length());
        frame.append("{\"event\":");
        quote(frame, eventName(publication.type()));
        frame.append(",\"channel\":");
        quote(frame, publication.channel());
        frame.append(",\"offset\":").append(publication.offset());
        if (!publication.also().isEmpty()) {
            frame.append(",\"also\":").append(publication.alsoJson());
        }
        frame.append(",\"type\":");
        quote(frame, publication.type());
        frame.append(",\"data\":").append(publication.dataJson()).append('}');
        return frame.toString();
    }

    /**
     * The native event name of a CloudEvent type: {@code deployment.step_*} → {@code deployment:step}, {@code
     * device.*} → {@code device:upload}, otherwise the type with its first {@code .} replaced by {@code :} ({@code
     * task.progress} → {@code task:progress}, {@code webhook.failed} → {@code webhook:failed}, {@code notification}
     * stays).
     */
    static String eventName(String type) {
        if (type.startsWith("deployment.step_")) {
            return "deployment:step";
        }
        if (type.startsWith("device.")) {
            return "device:upload";
        }
        int dot = type.indexOf('.');
        return dot < 0 ? type : type.substring(0, dot) + ':' + type.substring(dot + 1);
    }

    String established(String userId, String connectionId, long pingIntervalSeconds) {
        ObjectNode data = json.createObjectNode()
                .put("user_id", userId)
                .put("timestamp", clock.instant().toString())
                .put("connection_id", connectionId)
                .put("ping_interval", pingIntervalSeconds);
        return event("connection:established", data);
    }

    String subscribed(Subscribed subscribed) {
        ObjectNode data = json.createObjectNode()
                .put("channel", subscribed.channel())
                .put("epoch", subscribed.epoch())
                .put("offset", subscribed.offset())
                .put("recoverable", subscribed.recoverable())
                .put("recovered", subscribed.recovered())
                .put("replayed", subscribed.replayed());
        return event("subscribed", data);
    }

    String unsubscribed(String channel) {
        return event("unsubscribed", json.createObjectNode().put("channel", channel));
    }

    String pong() {
        return event(
                "pong", json.createObjectNode().put("timestamp", clock.instant().toString()));
    }

    String refreshed(Instant expiresAt) {
        ObjectNode data = json.createObjectNode();
        if (expiresAt == null) {
            data.putNull("expires_at");
        } else {
            data.put("expires_at", expiresAt.toString());
        }
        return event("refreshed", data);
    }

    String presence(String channel, PresenceChange change) {
        ObjectNode frame = json.createObjectNode().put("event", change.kind()).put("channel", channel);
        frame.putObject("data")
                .put("user_id", change.info().userId())
                .put("connection_id", change.info().connectionId())
                .put("transport", change.info().transport())
                .put("connected_at", String.valueOf(change.info().connectedAt()));
        return json.writeValueAsString(frame);
    }

    /**
     * @param request the client event that failed ({@code null} when unknown)
     * @param channel the channel concerned ({@code null} when none)
     */
    String error(int code, String message, String request, String channel) {
        ObjectNode data = json.createObjectNode().put("code", code).put("message", message);
        if (request != null) {
            data.put("request", request);
        }
        if (channel != null) {
            data.put("channel", channel);
        }
        return event("error", data);
    }

    private String event(String event, ObjectNode data) {
        ObjectNode frame = json.createObjectNode().put("event", event);
        frame.set("data", data);
        return json.writeValueAsString(frame);
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }
}
