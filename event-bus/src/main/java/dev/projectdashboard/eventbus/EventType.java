package dev.projectdashboard.eventbus;

import dev.projectdashboard.eventbus.payload.DeploymentCompleted;
import dev.projectdashboard.eventbus.payload.DeploymentLog;
import dev.projectdashboard.eventbus.payload.DeploymentMetrics;
import dev.projectdashboard.eventbus.payload.DeploymentStep;
import dev.projectdashboard.eventbus.payload.DeviceUploadCompleted;
import dev.projectdashboard.eventbus.payload.DeviceUploadFailed;
import dev.projectdashboard.eventbus.payload.DeviceUploadProgress;
import dev.projectdashboard.eventbus.payload.DeviceUploadRequested;
import dev.projectdashboard.eventbus.payload.DeviceUploadStarted;
import dev.projectdashboard.eventbus.payload.FileDeleted;
import dev.projectdashboard.eventbus.payload.FileUploaded;
import dev.projectdashboard.eventbus.payload.Notification;
import dev.projectdashboard.eventbus.payload.TaskCompleted;
import dev.projectdashboard.eventbus.payload.TaskFailed;
import dev.projectdashboard.eventbus.payload.TaskLog;
import dev.projectdashboard.eventbus.payload.TaskProgress;
import dev.projectdashboard.eventbus.payload.TaskStatus;
import dev.projectdashboard.eventbus.payload.WebhookDeadLettered;
import dev.projectdashboard.eventbus.payload.WebhookDelivered;
import dev.projectdashboard.eventbus.payload.WebhookFailed;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The catalogue of docs/contracts.md, "Events": every event type with the stream it travels on and the record of its data. */
public enum EventType {
    DEPLOYMENT_STEP_STARTED(EventTypes.DEPLOYMENT_STEP_STARTED, Streams.DEPLOYMENTS, DeploymentStep.class),
    DEPLOYMENT_STEP_COMPLETED(EventTypes.DEPLOYMENT_STEP_COMPLETED, Streams.DEPLOYMENTS, DeploymentStep.class),
    DEPLOYMENT_STEP_FAILED(EventTypes.DEPLOYMENT_STEP_FAILED, Streams.DEPLOYMENTS, DeploymentStep.class),
    DEPLOYMENT_COMPLETED(EventTypes.DEPLOYMENT_COMPLETED, Streams.DEPLOYMENTS, DeploymentCompleted.class),
    DEPLOYMENT_LOG(EventTypes.DEPLOYMENT_LOG, Streams.DEPLOYMENTS, DeploymentLog.class),
    DEPLOYMENT_METRICS(EventTypes.DEPLOYMENT_METRICS, Streams.DEPLOYMENTS, DeploymentMetrics.class),

    DEVICE_UPLOAD_REQUESTED(EventTypes.DEVICE_UPLOAD_REQUESTED, Streams.DEVICES, DeviceUploadRequested.class),
    DEVICE_UPLOAD_STARTED(EventTypes.DEVICE_UPLOAD_STARTED, Streams.DEVICES, DeviceUploadStarted.class),
    DEVICE_UPLOAD_PROGRESS(EventTypes.DEVICE_UPLOAD_PROGRESS, Streams.DEVICES, DeviceUploadProgress.class),
    DEVICE_UPLOAD_COMPLETED(EventTypes.DEVICE_UPLOAD_COMPLETED, Streams.DEVICES, DeviceUploadCompleted.class),
    DEVICE_UPLOAD_FAILED(EventTypes.DEVICE_UPLOAD_FAILED, Streams.DEVICES, DeviceUploadFailed.class),

    TASK_PROGRESS(EventTypes.TASK_PROGRESS, Streams.TASKS, TaskProgress.class),
    TASK_STATUS(EventTypes.TASK_STATUS, Streams.TASKS, TaskStatus.class),
    TASK_COMPLETED(EventTypes.TASK_COMPLETED, Streams.TASKS, TaskCompleted.class),
    TASK_FAILED(EventTypes.TASK_FAILED, Streams.TASKS, TaskFailed.class),
    TASK_LOG(EventTypes.TASK_LOG, Streams.TASKS, TaskLog.class),

    NOTIFICATION(EventTypes.NOTIFICATION, Streams.NOTIFICATIONS, Notification.class),

    FILE_UPLOADED(EventTypes.FILE_UPLOADED, Streams.FILES, FileUploaded.class),
    FILE_DELETED(EventTypes.FILE_DELETED, Streams.FILES, FileDeleted.class),

    WEBHOOK_DELIVERED(EventTypes.WEBHOOK_DELIVERED, Streams.WEBHOOKS, WebhookDelivered.class),
    WEBHOOK_FAILED(EventTypes.WEBHOOK_FAILED, Streams.WEBHOOKS, WebhookFailed.class),
    WEBHOOK_DEAD_LETTERED(EventTypes.WEBHOOK_DEAD_LETTERED, Streams.WEBHOOKS, WebhookDeadLettered.class);

    private static final Map<String, EventType> BY_TYPE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::type, Function.identity()));

    private final String type;
    private final String stream;
    private final Class<?> dataType;

    EventType(String type, String stream, Class<?> dataType) {
        this.type = type;
        this.stream = stream;
        this.dataType = dataType;
    }

    /** The CloudEvents {@code type} value, e.g. {@code task.completed}. */
    public String type() {
        return type;
    }

    /** The stream events of this type are published to. */
    public String stream() {
        return stream;
    }

    /** The record {@code data} of this type decodes to. */
    public Class<?> dataType() {
        return dataType;
    }

    /** The catalogue entry for a CloudEvents {@code type}; empty for types this suite does not know. */
    public static Optional<EventType> of(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }
}
