package dev.projectdashboard.realtimeservice.nativews;

import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.hub.PresenceChange;
import dev.projectdashboard.realtimeservice.hub.Subscribed;
import java.time.Instant;
import tools.jackson.core.io.JsonStringEncoder;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The server frames of the native protocol (source 000, DESIGN §6): every frame is {@code {"event":…,"data":{…}}};
 * publications add {@code channel}, {@code offset} and the CloudEvent {@code type}, and carry the CloudEvent
 * {@code data} verbatim.
 */
final class NativeFrames {

    /** The key of this wire format in {@link Publication#frame}. */
    static final Object FORMAT = NativeFrames.class;

    private final JsonMapper json;

    NativeFrames(JsonMapper json) {
        this.json = json;
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
                .put("timestamp", Instant.now().toString())
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
                "pong", json.createObjectNode().put("timestamp", Instant.now().toString()));
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
