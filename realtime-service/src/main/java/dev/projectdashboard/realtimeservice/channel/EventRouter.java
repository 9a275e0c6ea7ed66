package dev.projectdashboard.realtimeservice.channel;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventTypes;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which channels a domain event is published on (docs/contracts.md, Realtime channels and protocols), and its event name on the native protocol.
 *
 * <p>The union of the event's {@code subject} (when it is a channel name) and the channels its type implies from
 * its data: {@code task.*} → {@code task:{task_id}} + {@code user:{user_id}}; {@code notification} → {@code
 * user:{user_id}}, or {@code system:notifications} without a user; {@code deployment.*} → {@code
 * project:{project}} + {@code deployment:{deployment_id}}; {@code device.*} → {@code device:{device_id}};
 * {@code file.*} → {@code task:{task_id}} + {@code user:{uploaded_by or user_id}}; {@code webhook.*} → only its
 * subject. A missing or malformed field drops only that channel.
 */
public final class EventRouter {

    /** The channels of an event, in a stable order, without duplicates; empty when it belongs to none. */
    public List<ChannelName> channels(CloudEvent<JsonNode> event) {
        Set<ChannelName> channels = new LinkedHashSet<>(4);
        if (event.subject() != null) {
            add(channels, event.subject());
        }
        JsonNode data = event.data();
        String type = event.type();
        if (type.startsWith("task.")) {
            add(channels, ChannelName.TASK, field(data, "task_id"));
            add(channels, ChannelName.USER, field(data, "user_id"));
        } else if (EventTypes.NOTIFICATION.equals(type)) {
            String user = field(data, "user_id");
            if (user != null) {
                add(channels, ChannelName.USER, user);
            } else {
                channels.add(ChannelName.SYSTEM_NOTIFICATIONS);
            }
        } else if (type.startsWith("deployment.")) {
            add(channels, ChannelName.PROJECT, field(data, "project"));
            add(channels, ChannelName.DEPLOYMENT, field(data, "deployment_id"));
        } else if (type.startsWith("device.")) {
            add(channels, ChannelName.DEVICE, field(data, "device_id"));
        } else if (type.startsWith("file.")) {
            add(channels, ChannelName.TASK, field(data, "task_id"));
            String owner = field(data, "uploaded_by");
            add(channels, ChannelName.USER, owner != null ? owner : field(data, "user_id"));
        }
        return List.copyOf(channels);
    }

    /**
     * Whether a channel belongs to someone that the events themselves say: {@code task:{id}} to a user, {@code
     * deployment:{id}} to a project. The first event that names it is believed ({@link #ownerClaim}); the sequencer
     * records it, and every later position in the channel carries it.
     */
    public static boolean hasOwner(ChannelName channel) {
        return ChannelName.TASK.equals(channel.namespace()) || ChannelName.DEPLOYMENT.equals(channel.namespace());
    }

    /**
     * Who this event says owns one of its channels: a {@code task.*} event's {@code user_id} for {@code
     * task:{task_id}}, a {@code deployment.*} event's {@code project} for {@code deployment:{deployment_id}};
     * {@code null} for any other channel or when the field is missing.
     */
    public String ownerClaim(CloudEvent<JsonNode> event, ChannelName channel) {
        JsonNode data = event.data();
        String type = event.type();
        if (ChannelName.TASK.equals(channel.namespace()) && type.startsWith("task.")) {
            return channel.id().equals(field(data, "task_id")) ? field(data, "user_id") : null;
        }
        if (ChannelName.DEPLOYMENT.equals(channel.namespace()) && type.startsWith("deployment.")) {
            return channel.id().equals(field(data, "deployment_id")) ? field(data, "project") : null;
        }
        return null;
    }

    /**
     * The native protocol's {@code event} name of a CloudEvent type: the native contract's names (docs/contracts.md) for task events, one
     * {@code deployment:step} for the three step types, {@code device:upload} for every device event, otherwise
     * the type with its first {@code .} turned into {@code :}.
     */
    public static String eventName(String type) {
        if (type == null || type.isEmpty()) {
            return "message";
        }
        switch (type) {
            case EventTypes.DEPLOYMENT_STEP_STARTED,
                    EventTypes.DEPLOYMENT_STEP_COMPLETED,
                    EventTypes.DEPLOYMENT_STEP_FAILED -> {
                return "deployment:step";
            }
            case EventTypes.NOTIFICATION -> {
                return "notification";
            }
            default -> {
                if (type.startsWith("device.")) {
                    return "device:upload";
                }
                int dot = type.indexOf('.');
                return dot < 0 ? type : type.substring(0, dot) + ":" + type.substring(dot + 1);
            }
        }
    }

    private static void add(Set<ChannelName> channels, String namespace, String id) {
        if (id != null) {
            add(channels, namespace + ":" + id);
        }
    }

    private static void add(Set<ChannelName> channels, String name) {
        try {
            channels.add(ChannelName.parse(name));
        } catch (IllegalArgumentException e) {
            // not a channel (a free-form subject or an id with characters channels do not allow): skip it
        }
    }

    private static String field(JsonNode data, String name) {
        if (data == null || !data.isObject()) {
            return null;
        }
        JsonNode value = data.get(name);
        if (value == null || !(value.isString() || value.isIntegralNumber())) {
            return null;
        }
        String text = value.asString();
        return text.isBlank() ? null : text;
    }
}
