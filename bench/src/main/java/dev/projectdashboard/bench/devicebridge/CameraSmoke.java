package dev.projectdashboard.bench.devicebridge;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import dev.projectdashboard.bench.CommandLine;
import dev.projectdashboard.starter.security.DevTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;

/**
 * {@code bench/run camera-smoke}: one simulated camera against a running suite (.ci/smoke), following source 001
 * through the gateway and the real broker: registered by an administrator, it logs in with its secret, asks for an
 * upload URL, PUTs its recording there, reports {@code upload_started}/{@code upload_completed}, and the upload must
 * end {@code completed} and {@code verified} (file-service found the object). An anonymous client and a wrong secret
 * must be refused by the broker. Prints one {@code ok} line per check; exit status 0 when all passed.
 */
public final class CameraSmoke {

    public static final String NAME = "camera-smoke";

    public static final String USAGE =
            """
            usage: bench/run camera-smoke [--gateway http://localhost:8080] [--prefix /project-dashboard]
                                          [--mqtt localhost:1883] [--token <admin JWT>] [--timeout-seconds 30]
              --token: an admin token of the running suite (./dashboard token --admin); default: one signed with
                       the development secret
            """;

    record Settings(String api, String mqttHost, int mqttPort, String token, Duration timeout) {}

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private final Settings settings;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    CameraSmoke(Settings settings) {
        this.settings = settings;
    }

    public static int main(String[] args) {
        return CommandLine.run(args, USAGE, CameraSmoke::parse, settings -> new CameraSmoke(settings).run());
    }

    static Settings parse(String[] args) {
        String gateway = "http://localhost:8080";
        String prefix = "/project-dashboard";
        String mqtt = "localhost:1883";
        String token = null;
        long timeout = 30;
        for (CommandLine.Option option : CommandLine.options(args)) {
            String value = option.value();
            switch (option.name()) {
                case "--gateway" -> gateway = value;
                case "--prefix" -> prefix = value;
                case "--mqtt" -> mqtt = value;
                case "--token" -> token = value;
                case "--timeout-seconds" -> timeout = Long.parseLong(value);
                default -> throw option.unknown();
            }
        }
        int colon = mqtt.lastIndexOf(':');
        if (colon < 1 || timeout < 1) {
            throw new IllegalArgumentException("--mqtt must be host:port and --timeout-seconds positive");
        }
        String api = (gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway) + prefix;
        return new Settings(
                api,
                mqtt.substring(0, colon),
                Integer.parseInt(mqtt.substring(colon + 1)),
                token != null ? token : DevTokens.adminToken("camera-smoke"),
                Duration.ofSeconds(timeout));
    }

    boolean run() throws Exception {
        String deviceId = "SMOKE_CAM_" + Instant.now().getEpochSecond();
        DeviceApi api = new DeviceApi(settings.api(), settings.token());
        String secret = api.register(deviceId, "smoke camera").get(30, TimeUnit.SECONDS);
        ok("gateway -> device-bridge: " + deviceId + " registered, broker secret issued");

        refused(null, null, Mqtt5ConnAckReasonCode.NOT_AUTHORIZED, "an anonymous MQTT client");
        refused(deviceId, "dsec_wrong", Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, "a wrong device secret");

        Mqtt5BlockingClient camera = client(deviceId);
        camera.connectWith()
                .cleanStart(true)
                .simpleAuth()
                .username(deviceId)
                .password(secret.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
        try (Mqtt5BlockingClient.Mqtt5Publishes answers = camera.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            var subAck = camera.subscribeWith()
                    .topicFilter(SourceMessages.responseTopic(deviceId))
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .send();
            if (subAck.getReasonCodes().stream().anyMatch(code -> code.isError())) {
                return failed("the camera may not subscribe its response topic: " + subAck.getReasonCodes());
            }
            ok("camera logged in to the broker with its secret (auth through device-bridge)");

            byte[] recording = new byte[256 * 1024];
            new Random(42).nextBytes(recording);
            String requestId = "upload_" + Long.toHexString(System.nanoTime());
            String cloudPath = deviceId + "/2025/07/11/143022_motion_video.ts";
            long now = Instant.now().getEpochSecond();
            publish(
                    camera,
                    SourceMessages.requestTopic(deviceId),
                    SourceMessages.request(requestId, deviceId, cloudPath, recording.length, now));
            Optional<Mqtt5Publish> received = answers.receive(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (received.isEmpty()) {
                return failed("no answer on " + SourceMessages.responseTopic(deviceId) + " within " + ANSWER_TIMEOUT);
            }
            JsonNode answer = SourceMessages.JSON.readTree(received.get().getPayloadAsBytes());
            if (!answer.path("success").asBoolean(false)
                    || !requestId.equals(answer.path("request_id").asString(""))
                    || !cloudPath.equals(answer.path("cloud_file_path").asString(""))
                    || !"PUT".equals(answer.path("method").asString(""))
                    || answer.path("upload_url").asString("").isEmpty()
                    || answer.path("expires_at").asLong(0) <= now) {
                return failed("unexpected answer: " + answer);
            }
            ok("source 001 request answered: PUT URL for " + cloudPath);

            int status = put(answer, recording);
            if (status != 200) {
                return failed("PUT to upload_url answered " + status);
            }
            ok("recording PUT to the presigned URL with extra_headers (" + recording.length + " bytes)");

            publish(
                    camera,
                    SourceMessages.statusTopic(deviceId),
                    SourceMessages.uploadStarted(cloudPath, recording.length, now));
            publish(
                    camera,
                    SourceMessages.statusTopic(deviceId),
                    SourceMessages.uploadCompleted(
                            stripQuery(answer.path("upload_url").asString()), 1, now + 1));
            JsonNode upload = awaitVerified(api, deviceId, requestId);
            if (upload == null) {
                return false;
            }
            ok("upload_started/upload_completed reported; upload " + requestId + " is "
                    + upload.path("status").asString() + ", verified " + upload.path("verified"));
        } finally {
            camera.disconnect();
        }
        return true;
    }

    /** Polls the upload record until it is completed and verified; null (after saying why) when it is not in time. */
    private JsonNode awaitVerified(DeviceApi api, String deviceId, String requestId) throws Exception {
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        JsonNode upload = null;
        while (System.nanoTime() < deadline) {
            upload = api.upload(deviceId, requestId);
            if (upload != null && upload.path("status").asString("").equals("completed")) {
                if (upload.path("verified").asBoolean(false)) {
                    return upload;
                }
                if (upload.path("verified").isBoolean()) {
                    failed("the upload completed but file-service did not verify it: " + upload);
                    return null;
                }
            }
            Thread.sleep(250); // polling another process's API: nothing to wait on but time
        }
        failed("upload not completed and verified within " + settings.timeout() + ": " + upload);
        return null;
    }

    private void refused(String username, String password, Mqtt5ConnAckReasonCode expected, String who) {
        Mqtt5BlockingClient client = client(username != null ? username : "smoke-anonymous");
        try {
            var connect = client.connectWith().cleanStart(true);
            if (username != null) {
                connect.simpleAuth()
                        .username(username)
                        .password(password.getBytes(StandardCharsets.UTF_8))
                        .applySimpleAuth();
            }
            connect.send();
            client.disconnect();
            throw new IllegalStateException(who + " was let in by the broker");
        } catch (Mqtt5ConnAckException refusal) {
            Mqtt5ConnAckReasonCode code = refusal.getMqttMessage().getReasonCode();
            if (code != expected) {
                throw new IllegalStateException(who + " was refused with " + code + ", not " + expected);
            }
            ok(who + " is refused by the broker (" + code + ")");
        }
    }

    private Mqtt5BlockingClient client(String clientId) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(clientId)
                .serverHost(settings.mqttHost())
                .serverPort(settings.mqttPort())
                .buildBlocking();
    }

    private static void publish(Mqtt5BlockingClient client, String topic, byte[] body) {
        client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(body)
                .send();
    }

    /** PUTs the bytes to {@code upload_url} with the answer's method and {@code extra_headers}, as the firmware does. */
    private int put(JsonNode answer, byte[] bytes) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create(answer.path("upload_url").asString()))
                .timeout(Duration.ofSeconds(30))
                .method(answer.path("method").asString(), HttpRequest.BodyPublishers.ofByteArray(bytes));
        answer.path("extra_headers")
                .properties()
                .forEach(header -> put.header(header.getKey(), header.getValue().asString()));
        return http.send(put.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String stripQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    private static void ok(String what) {
        System.out.println("ok   " + what);
    }

    private static boolean failed(String why) {
        System.err.println("camera-smoke: " + why);
        return false;
    }
}
