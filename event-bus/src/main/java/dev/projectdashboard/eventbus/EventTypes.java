package dev.projectdashboard.eventbus;

/** CloudEvents {@code type} values of docs/contracts.md, "Events", as constants usable in {@code switch} statements. */
public final class EventTypes {

    public static final String DEPLOYMENT_STEP_STARTED = "deployment.step_started";
    public static final String DEPLOYMENT_STEP_COMPLETED = "deployment.step_completed";
    public static final String DEPLOYMENT_STEP_FAILED = "deployment.step_failed";
    public static final String DEPLOYMENT_COMPLETED = "deployment.completed";
    public static final String DEPLOYMENT_LOG = "deployment.log";
    public static final String DEPLOYMENT_METRICS = "deployment.metrics";

    public static final String DEVICE_UPLOAD_REQUESTED = "device.upload_requested";
    public static final String DEVICE_UPLOAD_STARTED = "device.upload_started";
    public static final String DEVICE_UPLOAD_PROGRESS = "device.upload_progress";
    public static final String DEVICE_UPLOAD_COMPLETED = "device.upload_completed";
    public static final String DEVICE_UPLOAD_FAILED = "device.upload_failed";

    public static final String TASK_PROGRESS = "task.progress";
    public static final String TASK_STATUS = "task.status";
    public static final String TASK_COMPLETED = "task.completed";
    public static final String TASK_FAILED = "task.failed";
    public static final String TASK_LOG = "task.log";

    public static final String NOTIFICATION = "notification";

    public static final String FILE_UPLOADED = "file.uploaded";
    public static final String FILE_DELETED = "file.deleted";

    public static final String WEBHOOK_DELIVERED = "webhook.delivered";
    public static final String WEBHOOK_FAILED = "webhook.failed";
    public static final String WEBHOOK_DEAD_LETTERED = "webhook.dead_lettered";

    private EventTypes() {}
}
