package dev.projectdashboard.devicebridge.camera;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAck;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated ESP32-P4 camera following source 001 to the letter: it publishes its upload request on
 * {@code devices/{id}/upload/request}, reads the answer on {@code devices/{id}/upload/response}, PUTs the recording to
 * the {@code upload_url} with the {@code extra_headers}, and reports {@code devices/{id}/status/upload}. Blocking:
 * for the test thread.
 */
public final class Camera implements AutoCloseable {

    public static final JsonMapper JSON = JsonMapper.builder().build();

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final String deviceId;
    private final Mqtt5BlockingClient client;
    private final List<Mqtt5Publish> received = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();

    /** One order across all cameras of the JVM, to tell which answer came first. */
    private static final AtomicLong ARRIVALS = new AtomicLong();

    private final Map<String, Long> answerOrder = new ConcurrentHashMap<>();

    private Camera(String deviceId, Mqtt5BlockingClient client) {
        this.deviceId = deviceId;
        this.client = client;
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, publish -> {
            long arrival = ARRIVALS.incrementAndGet();
            received.add(publish);
            if (publish.getTopic().toString().endsWith("/upload/response")) {
                JsonNode id = JSON.readTree(publish.getPayloadAsBytes()).get("request_id");
                if (id != null && id.isString()) {
                    answerOrder.putIfAbsent(id.asString(), arrival);
                }
            }
        });
    }

    /** When each request's first answer arrived, in the JVM-wide order of arrivals. */
    public Map<String, Long> answerOrder() {
        return Map.copyOf(answerOrder);
    }

    /** Connects as {@code deviceId} with its secret (none: anonymous) and subscribes to its response topic. */
    public static Camera connect(String host, int port, String deviceId, String secret) {
        Camera camera = login(host, port, deviceId, deviceId, secret);
        Mqtt5SubAck subAck = camera.subscribe("devices/" + deviceId + "/upload/response");
        if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
            throw new IllegalStateException("response topic refused: " + subAck.getReasonCodes());
        }
        return camera;
    }

    /**
     * Only the broker login, as client {@code clientId} with user {@code deviceId} (no password when {@code secret}
     * is {@code null}); throws the broker's refusal ({@code Mqtt5ConnAckException}).
     */
    public static Camera login(String host, int port, String clientId, String deviceId, String secret) {
        Mqtt5BlockingClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(host)
                .serverPort(port)
                .buildBlocking();
        var connect = client.connectWith().cleanStart(true);
        if (secret != null) {
            connect.simpleAuth()
                    .username(deviceId)
                    .password(secret.getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        connect.send();
        return new Camera(deviceId, client);
    }

    /** The broker's SUBACK, refusals included. */
    public Mqtt5SubAck subscribe(String filter) {
        try {
            return client.subscribeWith()
                    .topicFilter(filter)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
        } catch (Mqtt5SubAckException refused) {
            return refused.getMqttMessage();
        }
    }

    public String deviceId() {
        return deviceId;
    }

    /** Source 001's request for this camera, as its firmware writes it. */
    public Map<String, Object> sourceRequest(String requestId, String fileName, long size, int priority) {
        return new java.util.LinkedHashMap<>(Map.of(
                "request_id", requestId,
                "file_name", fileName,
                "file_size", size,
                "priority", priority,
                "timestamp", 1691234567L,
                "device_id", deviceId,
                "metadata",
                        Map.of(
                                "content_type", "video/mp2t",
                                "format", "H264/MPEG-TS",
                                "trigger", "motion_detection",
                                "duration", 120,
                                "resolution", "1080p")));
    }

    /** Publishes a request without waiting. */
    public void send(Object body) {
        publish("devices/" + deviceId + "/upload/request", JSON.writeValueAsBytes(body));
    }

    /** Publishes a request with an MQTT 5 response topic and correlation data. */
    public void publishRequest(Object body, String responseTopic, String correlation) {
        client.publishWith()
                .topic("devices/" + deviceId + "/upload/request")
                .qos(MqttQos.AT_LEAST_ONCE)
                .responseTopic(responseTopic)
                .correlationData(correlation.getBytes(StandardCharsets.UTF_8))
                .payload(JSON.writeValueAsBytes(body))
                .send();
    }

    public void publish(String topic, byte[] payload) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send();
    }

    /** Publishes the request and waits for the answer with its {@code request_id}. */
    public JsonNode request(Map<String, Object> body) {
        send(body);
        return answer((String) body.get("request_id"));
    }

    /** The first answer received for {@code requestId}, waiting for it. */
    public JsonNode answer(String requestId) {
        return Awaitility.await()
                .atMost(ANSWER_TIMEOUT)
                .until(() -> answers(requestId).stream().findFirst(), Optional::isPresent)
                .orElseThrow();
    }

    /** Every answer received so far whose {@code request_id} is {@code requestId} ({@code null}: none was readable). */
    public List<JsonNode> answers(String requestId) {
        List<JsonNode> answers = new ArrayList<>();
        for (Mqtt5Publish publish : received) {
            if (!publish.getTopic().toString().endsWith("/upload/response")) {
                continue;
            }
            JsonNode answer = JSON.readTree(publish.getPayloadAsBytes());
            JsonNode id = answer.get("request_id");
            if (requestId == null ? id == null || id.isNull() : id != null && requestId.equals(id.asString())) {
                answers.add(answer);
            }
        }
        return answers;
    }

    /** Fails with the whole answer when it is not a success, so the error code shows. */
    public static JsonNode assertSuccess(JsonNode answer) {
        org.assertj.core.api.Assertions.assertThat(answer.get("success").asBoolean())
                .as("answer %s", answer)
                .isTrue();
        return answer;
    }

    /** Everything received, on any topic. */
    public List<Mqtt5Publish> received() {
        return List.copyOf(received);
    }

    /** PUTs {@code bytes} to the answer's {@code upload_url} with its {@code extra_headers}, as the firmware does. */
    public int upload(JsonNode answer, byte[] bytes) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create(answer.get("upload_url").asString()))
                .timeout(Duration.ofSeconds(30))
                .method(answer.get("method").asString(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        answer.path("extra_headers")
                .properties()
                .forEach(header -> put.header(header.getKey(), header.getValue().asString()));
        return http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Publishes one status report on {@code devices/{id}/status/upload}. */
    public void status(Map<String, Object> report) {
        publish("devices/" + deviceId + "/status/upload", JSON.writeValueAsBytes(report));
    }

    public boolean isConnected() {
        return client.getState().isConnected();
    }

    @Override
    public void close() {
        try {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        } catch (RuntimeException ignored) {
            // the broker may be gone already
        }
    }
}
