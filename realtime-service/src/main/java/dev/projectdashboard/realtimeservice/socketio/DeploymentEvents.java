package dev.projectdashboard.realtimeservice.socketio;

import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.realtimeservice.channel.Publication;
import dev.projectdashboard.realtimeservice.socketio.SocketIoPackets.Type;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a Socket.IO client receives: the contract's {@code event} (docs/contracts.md) with {@code {type, payload}}, only for deployment
 * events, where {@code type} is the source's notification type and {@code payload} the CloudEvent {@code data}
 * verbatim. {@code channel} and {@code offset} (and {@code also}, the connection's other channels of the event) are
 * added beside them (the deployment dashboard's frontend (docs/contracts.md) reads only {@code type} and {@code payload}) so every delivered frame
 * says where it came from, as on the native endpoint.
 */
final class DeploymentEvents {

    /** Name of the Socket.IO event every publication is emitted as (docs/contracts.md: {@code socket.on('event', …)}). */
    static final String EVENT = "event";

    private static final Map<String, String> TYPES = Map.of(
            EventTypes.DEPLOYMENT_STEP_STARTED, "step_started",
            EventTypes.DEPLOYMENT_STEP_COMPLETED, "step_completed",
            // the deployment contract has no step_failed notification (docs/contracts.md, Deployments): a failed step
            // is a completed one with step_status "failed"
            EventTypes.DEPLOYMENT_STEP_FAILED, "step_completed",
            EventTypes.DEPLOYMENT_COMPLETED, "deployment_completed",
            EventTypes.DEPLOYMENT_LOG, "log_entry",
            EventTypes.DEPLOYMENT_METRICS, "metrics_update");

    // one rendering key per namespace: the namespace is part of every frame (42/nsp,[…]), so each gets its own copy
    private static final Map<String, Format> FORMATS = new ConcurrentHashMap<>();

    private record Format(String namespace) {}

    private DeploymentEvents() {}

    /** The Socket.IO contract's type of a CloudEvent type, or {@code null} when Socket.IO clients do not receive it. */
    static String typeOf(String cloudEventType) {
        return TYPES.get(cloudEventType);
    }

    /**
     * The whole text frame of a publication for a namespace, rendered once per namespace and shared by every
     * connection that receives it; {@code null} when the publication is not a deployment event.
     */
    static String frame(Publication publication, String namespace) {
        if (typeOf(publication.type()) == null) {
            return null;
        }
        Format format = FORMATS.computeIfAbsent(namespace, Format::new);
        return publication.frame(format, p -> render(p, namespace));
    }

    private static String render(Publication publication, String namespace) {
        // channel names are [a-z0-9_-]:[A-Za-z0-9._@~+=-] (ChannelName), so they need no JSON escaping
        return SocketIoPackets.prefix(Type.EVENT, namespace, null)
                + "[\"" + EVENT + "\",{\"type\":\"" + typeOf(publication.type())
                + "\",\"payload\":" + publication.dataJson()
                + ",\"channel\":\"" + publication.channel()
                + "\",\"offset\":" + publication.offset()
                + (publication.also().isEmpty() ? "" : ",\"also\":" + publication.alsoJson()) + "}]";
    }
}
