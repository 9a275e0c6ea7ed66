package dev.projectdashboard.devicebridge.mqtt;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.projectdashboard.devicebridge.domain.DeviceIds;
import dev.projectdashboard.devicebridge.domain.ErrorCode;
import dev.projectdashboard.devicebridge.domain.Priority;
import dev.projectdashboard.devicebridge.domain.TopicAccess;
import dev.projectdashboard.devicebridge.domain.UploadAnswer;
import dev.projectdashboard.devicebridge.status.StatusReader;
import dev.projectdashboard.devicebridge.status.StatusUpdates;
import dev.projectdashboard.devicebridge.upload.RequestQueue;
import dev.projectdashboard.devicebridge.upload.UploadRequestReader;
import dev.projectdashboard.devicebridge.upload.UploadRequests;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The devices' side of the broker (docs/device-bridge.md): the shared subscriptions
 * {@code $share/{group}/devices/+/upload/request} and {@code …/status/upload}, one answer on
 * {@code devices/{id}/upload/response} for every request (and on its MQTT 5 response topic, when it names one of the
 * device's own), and status reports handed to {@link StatusUpdates}.
 */
public class DeviceMessages {

    private static final Logger log = LoggerFactory.getLogger(DeviceMessages.class);

    /** What the messages are handed to. */
    public record Handlers(
            UploadRequestReader requestReader,
            UploadRequests requests,
            RequestQueue queue,
            StatusReader statusReader,
            StatusUpdates statusUpdates,
            JsonMapper json,
            MeterRegistry meters) {}

    private final Mqtt5AsyncClient client;
    private final MqttProperties properties;
    private final Handlers handlers;
    private final AtomicBoolean subscribed = new AtomicBoolean();

    DeviceMessages(Mqtt5AsyncClient client, MqttProperties properties, Handlers handlers) {
        this.client = client;
        this.properties = properties;
        this.handlers = handlers;
    }

    /**
     * Registers the one callback for every subscription, before each connection the application opens (the client
     * drops its callbacks when the application disconnects it; automatic reconnects keep them, and re-subscribing
     * adds none). Messages are acknowledged once the callback has queued them: a broker hands a client only a few
     * unacknowledged messages at a time, so acknowledging after the answer would leave the backlog (and its order) at
     * the broker instead of in the priority queue here. A replica that dies loses what it queued; source 001's
     * firmware retries an unanswered request (3 tries, exponential back-off), and the retry is answered idempotently.
     */
    void listen() {
        client.publishes(MqttGlobalPublishFilter.SUBSCRIBED, this::received);
    }

    String requestFilter() {
        return "$share/" + properties.shareGroup() + "/" + TopicAccess.requestTopic("+");
    }

    String statusFilter() {
        return "$share/" + properties.shareGroup() + "/" + TopicAccess.statusTopic("+");
    }

    /** Whether the broker granted the subscriptions on the current connection: requests reach this replica. */
    public boolean subscribed() {
        return subscribed.get();
    }

    void unsubscribed() {
        subscribed.set(false);
    }

    /** Subscribes (again); called on every connect. */
    void subscribe() {
        client.subscribeWith()
                .addSubscription()
                .topicFilter(requestFilter())
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .addSubscription()
                .topicFilter(statusFilter())
                .qos(MqttQos.AT_LEAST_ONCE)
                .applySubscription()
                .send()
                .whenComplete((subAck, error) -> {
                    if (error != null) {
                        log.error("Subscribing to the device topics failed: {}", error.toString());
                    } else if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        log.error("The broker refused the device subscriptions: {}", subAck.getReasonCodes());
                    } else {
                        subscribed.set(true);
                        log.info("Subscribed to {} and {}", requestFilter(), statusFilter());
                    }
                });
    }

    private void received(Mqtt5Publish publish) {
        String[] levels = publish.getTopic().getLevels().toArray(String[]::new);
        if (levels.length != 4 || !levels[0].equals("devices")) {
            return;
        }
        String deviceId = levels[1];
        if (levels[2].equals("upload") && levels[3].equals("request")) {
            request(deviceId, publish);
        } else if (levels[2].equals("status") && levels[3].equals("upload")) {
            status(deviceId, publish);
        }
    }

    private void request(String deviceId, Mqtt5Publish publish) {
        Timer.Sample sample = Timer.start(handlers.meters());
        if (!DeviceIds.isValid(deviceId)) {
            // not a topic any registered device can have: nobody to answer safely
            count(ErrorCode.INVALID_REQUEST);
            return;
        }
        UploadRequestReader.Read read = handlers.requestReader().read(deviceId, publish.getPayloadAsBytes());
        if (read.refusal() != null) {
            answer(
                    deviceId,
                    publish,
                    UploadAnswer.refused(
                            read.requestId(),
                            read.refusal().code(),
                            read.refusal().getMessage()),
                    sample);
            return;
        }
        handlers.queue().offer(new RequestQueue.Job() {
            @Override
            public Priority priority() {
                return read.priority();
            }

            @Override
            public Mono<Void> run() {
                return handlers.requests()
                        .answer(read.request())
                        .onErrorResume(error -> {
                            log.error("Answering {} of {} failed", read.requestId(), deviceId, error);
                            return Mono.just(UploadAnswer.refused(
                                    read.requestId(), ErrorCode.STORAGE_UNAVAILABLE, "Internal error; retry later"));
                        })
                        .flatMap(answer -> Mono.fromFuture(() -> answer(deviceId, publish, answer, sample)));
            }

            @Override
            public void overflow() {
                answer(
                        deviceId,
                        publish,
                        UploadAnswer.refused(
                                read.requestId(), ErrorCode.RATE_LIMITED, "The bridge is busy; retry later"),
                        sample);
            }
        });
    }

    /** Publishes the answer; completes when the broker has it. */
    private CompletableFuture<Void> answer(
            String deviceId, Mqtt5Publish request, UploadAnswer answer, Timer.Sample sample) {
        byte[] body = handlers.json().writeValueAsBytes(answer);
        CompletableFuture<?> sent = send(TopicAccess.responseTopic(deviceId), body, Optional.empty());
        Optional<String> responseTopic = request.getResponseTopic()
                .map(Object::toString)
                .filter(topic -> !topic.equals(TopicAccess.responseTopic(deviceId)));
        if (responseTopic.isPresent()) {
            if (TopicAccess.isOwnResponseTopic(deviceId, responseTopic.get())) {
                sent = CompletableFuture.allOf(sent, send(responseTopic.get(), body, request.getCorrelationData()));
            } else {
                handlers.meters()
                        .counter("device_bridge_response_topics_refused_total")
                        .increment();
            }
        }
        return sent.handle((done, error) -> {
            if (error != null) {
                log.warn("Answer to {} of {} not published: {}", answer.requestId(), deviceId, error.toString());
            }
            count(answer.success() ? null : answer.errorCode());
            sample.stop(handlers.meters()
                    .timer("device_bridge_request_duration", "result", answer.success() ? "success" : "error"));
            return null;
        });
    }

    private CompletableFuture<?> send(String topic, byte[] body, Optional<ByteBuffer> correlationData) {
        var publish = client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .contentType("application/json")
                .payload(body);
        correlationData.ifPresent(publish::correlationData);
        return publish.send();
    }

    private void count(ErrorCode code) {
        handlers.meters()
                .counter(
                        "device_bridge_upload_requests_total",
                        "result",
                        code == null ? "success" : "error",
                        "error_code",
                        code == null ? "none" : code.name())
                .increment();
    }

    private void status(String deviceId, Mqtt5Publish publish) {
        StatusReader.Read read = handlers.statusReader().read(publish.getPayloadAsBytes());
        if (read.refusal() != null || !DeviceIds.isValid(deviceId)) {
            handlers.statusUpdates().refused(read.refusal() != null ? read.refusal() : "invalid_device_id");
            return;
        }
        handlers.statusUpdates()
                .apply(deviceId, read.report())
                .doOnError(error -> {
                    handlers.statusUpdates().refused("not_stored");
                    log.error(
                            "Status {} of {} not applied: {}",
                            read.report().kind().event(),
                            deviceId,
                            error.toString());
                })
                .subscribe(null, error -> {});
    }
}
