package dev.projectdashboard.deploynotifier.deployment;

import dev.projectdashboard.eventbus.CloudEvent;
import dev.projectdashboard.eventbus.EventCodec;
import dev.projectdashboard.eventbus.EventTypes;
import dev.projectdashboard.eventbus.payload.DeploymentCompleted;
import dev.projectdashboard.eventbus.payload.DeploymentLog;
import dev.projectdashboard.eventbus.payload.DeploymentStep;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code deployment.*} events of accepted notifications, with the deployment webhook's field names in {@code data}
 * and {@code subject} {@code deployment:{id}} (see docs/contracts.md, "Events" and "Deployments"). Event ids derive from the delivery, so the events of a delivery
 * published twice (a retry after a lost answer, the relay) carry the same ids and consumers drop the repeat.
 */
public final class DeploymentEvents {

    public static final String SOURCE = "/deploy-notifier";

    /** The contract's timestamps: {@code 2024-01-01T12:00:00.000Z}. */
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final EventCodec codec;
    private final Clock clock;

    public DeploymentEvents(EventCodec codec, Clock clock) {
        this.codec = codec;
        this.clock = clock;
    }

    public List<OutgoingEvent> of(String deliveryKey, List<Notification> notifications) {
        List<CloudEvent<?>> events = new ArrayList<>();
        for (Notification notification : notifications) {
            events.addAll(events(notification));
        }
        List<OutgoingEvent> outgoing = new ArrayList<>(events.size());
        Instant time = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        for (int i = 0; i < events.size(); i++) {
            CloudEvent<?> event = events.get(i);
            String id = UUID.nameUUIDFromBytes((deliveryKey + "#" + i).getBytes(StandardCharsets.UTF_8))
                    .toString();
            CloudEvent<?> identified = new CloudEvent<>(
                    event.specversion(),
                    id,
                    event.source(),
                    event.type(),
                    time,
                    event.subject(),
                    event.datacontenttype(),
                    event.data());
            outgoing.add(new OutgoingEvent(identified, codec.encode(identified)));
        }
        return outgoing;
    }

    private static List<CloudEvent<?>> events(Notification notification) {
        if (notification instanceof Notification.Step step) {
            String type = step.started()
                    ? EventTypes.DEPLOYMENT_STEP_STARTED
                    : step.status() == StepStatus.FAILED
                            ? EventTypes.DEPLOYMENT_STEP_FAILED
                            : EventTypes.DEPLOYMENT_STEP_COMPLETED;
            return List.of(event(
                    type,
                    step.deploymentId(),
                    new DeploymentStep(
                            step.project(),
                            step.deploymentId(),
                            step.stepName(),
                            step.status().word(),
                            format(step.timestamp()),
                            step.workflowName(),
                            step.workflowId(),
                            step.logs(),
                            step.duration())));
        }
        if (notification instanceof Notification.Completed completed) {
            return List.of(event(
                    EventTypes.DEPLOYMENT_COMPLETED,
                    completed.deploymentId(),
                    new DeploymentCompleted(
                            completed.project(),
                            completed.deploymentId(),
                            completed.status().word(),
                            completed.duration(),
                            format(completed.timestamp()),
                            completed.workflowName(),
                            completed.workflowId(),
                            completed.logs(),
                            format(completed.startedAt()),
                            format(
                                    completed.completedAt() != null
                                            ? completed.completedAt()
                                            : completed.timestamp()))));
        }
        if (notification instanceof Notification.Logs logs) {
            return logs.lines().stream()
                    .<CloudEvent<?>>map(line -> event(
                            EventTypes.DEPLOYMENT_LOG,
                            logs.deploymentId(),
                            new DeploymentLog(
                                    logs.project(),
                                    logs.deploymentId(),
                                    line.logStreamId(),
                                    format(line.timestamp()),
                                    line.level(),
                                    line.message(),
                                    line.source())))
                    .toList();
        }
        if (notification instanceof Notification.Metrics metrics) {
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("project", metrics.project());
            data.put("deployment_id", metrics.deploymentId());
            data.put("timestamp", format(metrics.timestamp()));
            data.put("metrics", metrics.metrics());
            return List.of(event(EventTypes.DEPLOYMENT_METRICS, metrics.deploymentId(), data));
        }
        // RunStarted and Test: the contract has no event for them
        return List.of();
    }

    private static CloudEvent<?> event(String type, String deploymentId, Object data) {
        return CloudEvent.of(type, SOURCE, "deployment:" + deploymentId, data);
    }

    static String format(Instant instant) {
        return instant == null ? null : TIMESTAMP.format(instant);
    }
}
