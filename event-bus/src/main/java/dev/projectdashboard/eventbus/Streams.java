package dev.projectdashboard.eventbus;

import java.util.List;

/** Redis stream names of docs/contracts.md, "Events"; fixed, because producers outside this build write to them. */
public final class Streams {

    public static final String DEPLOYMENTS = "events:deployments";
    public static final String DEVICES = "events:devices";
    public static final String TASKS = "events:tasks";
    public static final String NOTIFICATIONS = "events:notifications";
    public static final String FILES = "events:files";
    public static final String WEBHOOKS = "events:webhooks";

    /** Entries a group consumer gave up on, with the reason and the original envelope. */
    public static final String DEAD = "events:dead";

    /** Every domain stream (not {@link #DEAD}). */
    public static final List<String> DOMAIN = List.of(DEPLOYMENTS, DEVICES, TASKS, NOTIFICATIONS, FILES, WEBHOOKS);

    /** The single field of a stream entry that holds the CloudEvents JSON envelope. */
    public static final String EVENT_FIELD = "event";

    private Streams() {}
}
