package dev.projectdashboard.realtimeservice.channel;

import java.util.regex.Pattern;

/**
 * A realtime channel (docs/contracts.md, Realtime channels and protocols): {@code user:{id}}, {@code task:{id}}, {@code project:{name}},
 * {@code deployment:{id}}, {@code device:{id}}, {@code system:notifications}, plus the optional client-publish
 * namespaces configured by prefix.
 *
 * @param namespace the part before the first {@code :}
 * @param id the part after it
 */
public record ChannelName(String namespace, String id) {

    public static final String USER = "user";
    public static final String TASK = "task";
    public static final String PROJECT = "project";
    public static final String DEPLOYMENT = "deployment";
    public static final String DEVICE = "device";
    public static final String SYSTEM = "system";

    public static final ChannelName SYSTEM_NOTIFICATIONS = new ChannelName(SYSTEM, "notifications");

    private static final Pattern NAMESPACE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    // ids of users, tasks, projects, deployments and devices: no ':' (one level), no spaces or control characters
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._@~+=-]{1,128}");

    /**
     * Parses and checks a channel name.
     *
     * @throws IllegalArgumentException with a message fit for the client when the name is malformed
     */
    public static ChannelName parse(String channel) {
        if (channel == null) {
            throw new IllegalArgumentException("channel is required");
        }
        int colon = channel.indexOf(':');
        if (colon <= 0
                || !NAMESPACE.matcher(channel.substring(0, colon)).matches()
                || !ID.matcher(channel.substring(colon + 1)).matches()) {
            throw new IllegalArgumentException(
                    "channel must look like 'namespace:id' (e.g. task:42), ids of [A-Za-z0-9._@~+=-], at most 128");
        }
        return new ChannelName(channel.substring(0, colon), channel.substring(colon + 1));
    }

    /** Whether {@code id} can be the id of a channel: 1-128 of {@code [A-Za-z0-9._@~+=-]}. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static ChannelName of(String namespace, String id) {
        return parse(namespace + ":" + id);
    }

    @Override
    public String toString() {
        return namespace + ":" + id;
    }
}
