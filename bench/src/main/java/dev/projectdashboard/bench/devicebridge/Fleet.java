package dev.projectdashboard.bench.devicebridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Simulated devices: one MQTT 5 connection each (QoS 1 both ways), all on the event loops of one
 * {@link MqttClientExecutorConfig}. Each request is remembered by its {@code request_id} until its answer arrives on
 * the device's answer topic; the answer is checked against it (same device, same path) and its latency recorded in the
 * {@link Tally} of the step that sent it.
 */
final class Fleet implements AutoCloseable {

    /** A device's login; {@code password} null: anonymous. */
    record Login(String deviceId, String clientId, String password) {}

    /** What a fleet's devices publish on and listen to, and how an answer is read. */
    enum Kind {
        /** source 001: request on devices/{id}/upload/request, device-bridge's answer on …/upload/response */
        BRIDGE(SourceMessages::requestTopic, SourceMessages::responseTopic, "cloud_file_path"),
        /** the broker reference: the echo republishes the request itself on …/echo/response */
        ECHO(id -> "devices/" + id + "/echo/request", id -> "devices/" + id + "/echo/response", "file_name");

        private final Function<String, String> requestTopic;
        private final Function<String, String> answerTopic;
        /** The answer's field that must be the requested path. */
        private final String pathField;

        Kind(Function<String, String> requestTopic, Function<String, String> answerTopic, String pathField) {
            this.requestTopic = requestTopic;
            this.answerTopic = answerTopic;
            this.pathField = pathField;
        }

        String requestTopic(String deviceId) {
            return requestTopic.apply(deviceId);
        }

        String answerTopic(String deviceId) {
            return answerTopic.apply(deviceId);
        }
    }

    private record Pending(String deviceId, String path, long sentNanos, Tally tally) {}

    private final Kind kind;
    private final String host;
    private final int port;
    private final MqttClientExecutorConfig executor;
    private final Duration timeout;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();
    /** Requests given up on at the end of their step: an answer to one later is late, not wrong. */
    private final Map<String, Boolean> expired = new ConcurrentHashMap<>();

    private final LongAdder answersAfterExpiry = new LongAdder();
    private final LongAdder disconnects = new LongAdder();
    private final AtomicReference<String> lastDisconnect = new AtomicReference<>("");
    private final AtomicReference<Tally> current;
    private volatile Mqtt5AsyncClient[] clients = new Mqtt5AsyncClient[0];
    private volatile List<Login> logins = List.of();

    Fleet(Kind kind, String host, int port, MqttClientExecutorConfig executor, Duration timeout) {
        this.kind = kind;
        this.host = host;
        this.port = port;
        this.executor = executor;
        this.timeout = timeout;
        this.current = new AtomicReference<>(new Tally(timeout));
    }

    /** Connects every device ({@code inFlight} CONNECTs at a time) and subscribes it to its answer topic. */
    void connectAll(List<Login> devices, int inFlight, Duration within) {
        Mqtt5AsyncClient[] connected = new Mqtt5AsyncClient[devices.size()];
        Flux.range(0, devices.size())
                .flatMap(
                        i -> Mono.fromFuture(() -> connect(devices.get(i))).doOnNext(client -> connected[i] = client),
                        inFlight)
                .then()
                .block(within);
        clients = connected;
        logins = List.copyOf(devices);
    }

    private CompletableFuture<Mqtt5AsyncClient> connect(Login login) {
        Mqtt5AsyncClient client = MqttClient.builder()
                .useMqttVersion5()
                .identifier(login.clientId())
                .serverHost(host)
                .serverPort(port)
                .executorConfig(executor)
                .addDisconnectedListener(context -> {
                    disconnects.increment();
                    lastDisconnect.set(login.deviceId() + ": " + context.getCause());
                })
                .buildAsync();
        var connect = client.connectWith().cleanStart(true).keepAlive(60);
        if (login.password() != null) {
            connect.simpleAuth()
                    .username(login.deviceId())
                    .password(login.password().getBytes(StandardCharsets.UTF_8))
                    .applySimpleAuth();
        }
        String answers = kind.answerTopic(login.deviceId());
        return connect.send()
                .thenCompose(ack -> client.subscribeWith()
                        .topicFilter(answers)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .callback(this::received)
                        .send())
                .thenApply(subAck -> {
                    if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                        throw new IllegalStateException(
                                login.deviceId() + " may not subscribe " + answers + ": " + subAck.getReasonCodes());
                    }
                    return client;
                });
    }

    int size() {
        return clients.length;
    }

    String deviceId(int index) {
        return logins.get(index).deviceId();
    }

    /** Answers from now on that match no request count in this tally. */
    void countInto(Tally tally) {
        current.set(tally);
    }

    /** Publishes one request of device {@code index}, remembered under {@code requestId} in {@code tally}. */
    void send(int index, String requestId, String path, byte[] payload, Tally tally) {
        String deviceId = deviceId(index);
        pending.put(requestId, new Pending(deviceId, path, System.nanoTime(), tally));
        tally.sent();
        clients[index]
                .publishWith()
                .topic(kind.requestTopic(deviceId))
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload)
                .send()
                .whenComplete((result, error) -> {
                    Throwable failure =
                            error != null ? error : result.getError().orElse(null);
                    if (failure != null) {
                        tally.publishFailed(failure);
                    }
                });
    }

    /** How many requests of {@code tally} still wait for their answer. */
    long waiting(Tally tally) {
        return pending.values().stream().filter(p -> p.tally() == tally).count();
    }

    /** Gives up on the requests of {@code tally} still waiting: they are lost. */
    void expire(Tally tally) {
        pending.entrySet().removeIf(entry -> {
            if (entry.getValue().tally() == tally) {
                expired.put(entry.getKey(), Boolean.TRUE);
                return true;
            }
            return false;
        });
    }

    long answersAfterExpiry() {
        return answersAfterExpiry.sum();
    }

    long disconnects() {
        return disconnects.sum();
    }

    String lastDisconnect() {
        return lastDisconnect.get();
    }

    private void received(Mqtt5Publish publish) {
        long now = System.nanoTime();
        String topic = publish.getTopic().toString();
        String deviceId = publish.getTopic().getLevels().get(1);
        byte[] body = publish.getPayloadAsBytes();
        JsonNode answer;
        try {
            answer = SourceMessages.JSON.readTree(body);
        } catch (RuntimeException notJson) {
            current.get().wrong("not JSON", new String(body, StandardCharsets.UTF_8));
            return;
        }
        String requestId = answer.path("request_id").asString("");
        Pending asked = pending.remove(requestId);
        if (asked == null) {
            if (expired.remove(requestId) != null) {
                answersAfterExpiry.increment();
            } else {
                current.get().wrong("request_id not asked (or answered twice)", topic + " " + answer);
            }
            return;
        }
        if (!asked.deviceId().equals(deviceId)) {
            asked.tally().wrong("answer on another device's topic", topic + " " + answer);
            return;
        }
        boolean success = kind == Kind.ECHO || answer.path("success").asBoolean(false);
        if (success && !asked.path().equals(answer.path(kind.pathField).asString(""))) {
            asked.tally().wrong("answer for another path", topic + " " + answer);
            return;
        }
        asked.tally()
                .answered(
                        now - asked.sentNanos(),
                        success ? null : answer.path("error_code").asString("?"));
    }

    @Override
    public void close() {
        Flux.fromArray(clients)
                .flatMap(client -> Mono.fromFuture(client::disconnect).onErrorResume(e -> Mono.empty()), 256)
                .then()
                .block(Duration.ofSeconds(30));
    }
}
