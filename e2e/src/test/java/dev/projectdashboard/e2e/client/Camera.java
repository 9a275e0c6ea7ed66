package dev.projectdashboard.e2e.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import dev.projectdashboard.e2e.suite.RunningSuite;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An ESP32-P4 camera of source 001: registered by an administrator through the gateway, it logs in to the broker with
 * its device id and secret, asks for upload URLs on {@code devices/{id}/upload/request}, PUTs its recordings straight
 * to object storage and reports {@code devices/{id}/status/upload}, with the firmware's field names.
 */
public final class Camera implements AutoCloseable {

    /** The local file a status report names; the bridge matches later reports to the upload by it. */
    public static final String LOCAL_FILE = "/sdcard/recordings/motion_20250711_143022.ts";

    private final String deviceId;
    private final Mqtt5BlockingClient client;
    private final Mqtt5BlockingClient.Mqtt5Publishes answers;

    private Camera(String deviceId, Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes answers) {
        this.deviceId = deviceId;
        this.client = client;
        this.answers = answers;
    }

    /** Registers the device as an administrator does ({@code POST /api/v1/devices}); its broker secret, shown once. */
    public static String register(Gateway gateway, String adminToken, String deviceId, String name) {
        Gateway.Answer created = gateway.post(
                "/api/v1/devices",
                adminToken,
                Json.object().put("device_id", deviceId).put("name", name));
        assertThat(created.status()).as("device registration: %s", created).isEqualTo(201);
        assertThat(created.body().path("mqtt_username").asString()).isEqualTo(deviceId);
        return created.body().path("mqtt_password").asString();
    }

    /** Logs in to the broker as the firmware does (client id = username = device id) and listens for answers. */
    public static Camera connect(RunningSuite suite, String deviceId, String secret) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(deviceId)
                .serverHost("127.0.0.1")
                .serverPort(suite.mqttPort())
                .buildBlocking();
        client.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(deviceId)
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        Mqtt5BlockingClient.Mqtt5Publishes answers = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED);
        client.subscribeWith()
                .topicFilter(topic(deviceId, "upload/response"))
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        return new Camera(deviceId, client, answers);
    }

    /** Source 001's upload request for a recording; the bridge's answer on the response topic. */
    public JsonNode requestUpload(String requestId, String fileName, long fileSize) throws InterruptedException {
        ObjectNode request = Json.object()
                .put("request_id", requestId)
                .put("file_name", fileName)
                .put("file_size", fileSize)
                .put("priority", 2)
                .put("timestamp", Instant.now().getEpochSecond())
                .put("device_id", deviceId);
        request.putObject("metadata")
                .put("content_type", "video/mp2t")
                .put("format", "H264/MPEG-TS")
                .put("trigger", "motion_detection")
                .put("duration", 120)
                .put("resolution", "1080p");
        publish("upload/request", request);
        Optional<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> answer =
                answers.receive(30, TimeUnit.SECONDS);
        assertThat(answer)
                .as("an answer on %s", topic(deviceId, "upload/response"))
                .isPresent();
        return Json.MAPPER.readTree(answer.get().getPayloadAsBytes());
    }

    /** PUTs the recording to the answer's {@code upload_url} with its method and {@code extra_headers}. */
    public static int putRecording(Gateway gateway, JsonNode answer, byte[] recording) {
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create(answer.path("upload_url").asString()))
                .method(answer.path("method").asString(), HttpRequest.BodyPublishers.ofByteArray(recording));
        answer.path("extra_headers")
                .properties()
                .forEach(header -> put.header(header.getKey(), header.getValue().asString()));
        return gateway.put(put);
    }

    public void uploadStarted(String cloudPath, long fileSize) {
        publish(
                "status/upload",
                status("upload_started")
                        .put("filename", "motion_20250711_143022.ts")
                        .put("cloud_path", cloudPath)
                        .put("file_size", fileSize)
                        .put("priority", 2));
    }

    public void uploadProgress(int percentage, long bytesUploaded, long totalBytes) {
        publish(
                "status/upload",
                status("upload_progress")
                        .put("progress_percentage", percentage)
                        .put("bytes_uploaded", bytesUploaded)
                        .put("total_bytes", totalBytes)
                        .put("upload_speed_kbps", 512)
                        .put("estimated_time_remaining_sec", 3));
    }

    public void uploadCompleted(String cloudUrl) {
        publish(
                "status/upload",
                status("upload_completed")
                        .put("filename", "motion_20250711_143022.ts")
                        .put("cloud_url", cloudUrl)
                        .put("upload_duration_sec", 2)
                        .put("average_speed_kbps", 491));
    }

    private ObjectNode status(String event) {
        return Json.object()
                .put("event", event)
                .put("file_path", LOCAL_FILE)
                .put("timestamp", Instant.now().getEpochSecond());
    }

    private void publish(String suffix, JsonNode body) {
        client.publishWith()
                .topic(topic(deviceId, suffix))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(Json.bytes(body))
                .send();
    }

    private static String topic(String deviceId, String suffix) {
        return "devices/" + deviceId + "/" + suffix;
    }

    @Override
    public void close() {
        answers.close();
        if (client.getState().isConnected()) {
            client.disconnect();
        }
    }
}
