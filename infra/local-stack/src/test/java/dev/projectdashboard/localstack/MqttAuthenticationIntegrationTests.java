package dev.projectdashboard.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientBuilder;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.datatypes.MqttTopic;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3SubAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import dev.projectdashboard.localstack.StubAuthEndpoint.Answer;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The broker under {@link LocalStack#requireMqttAuthentication}: real MQTT 5 and 3.1.1 clients against HiveMQ, a
 * stub of the device registry's endpoint deciding who gets in and what each may do.
 */
@LocalStackTest
class MqttAuthenticationIntegrationTests {

    private static final String DEVICE_ACL =
            """
            [{"permission": "allow", "action": "publish", "topic": "devices/CAM_1/upload/request"},
             {"permission": "allow", "action": "subscribe", "topic": "devices/CAM_1/upload/response"}]""";
    private static final String BRIDGE_ACL =
            """
            [{"permission": "allow", "action": "subscribe", "topic": "$share/device-bridge/devices/+/upload/request"},
             {"permission": "allow", "action": "publish", "topic": "devices/+/upload/response"}]""";

    private static StubAuthEndpoint endpoint;
    private static LocalStack stack;
    private final List<AutoCloseable> clients = new ArrayList<>();

    @BeforeAll
    static void requireAuthentication(LocalStack localStack) throws Exception {
        stack = localStack;
        endpoint = new StubAuthEndpoint();
        endpoint.answer("CAM_1", Answer.allow(DEVICE_ACL));
        endpoint.answer("device-bridge", Answer.allow(BRIDGE_ACL));
        endpoint.answer("observer", Answer.superuser());
        endpoint.answer("broken", new Answer(500, "{}"));
        endpoint.answer("garbled", new Answer(200, "not json"));
        endpoint.answer("ignored", Answer.result("ignore"));
        endpoint.answer(
                "wide-eq",
                Answer.allow("[{\"permission\": \"allow\", \"action\": \"subscribe\", \"topic\": \"eq #\"}]"));
        stack.requireMqttAuthentication(endpoint.url(), StubAuthEndpoint.API_KEY);
    }

    @AfterAll
    static void allowAnonymousAgain() {
        // the stack is shared by every test class of this JVM
        stack.allowAnonymousMqtt();
        endpoint.close();
    }

    @AfterEach
    void disconnect() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
    }

    @Test
    void refusesAnAnonymousClientWithoutAskingTheEndpoint() {
        int asked = endpoint.requests().size();
        Mqtt5AsyncClient anonymous = mqtt5("anonymous-" + UUID.randomUUID());

        assertThat(connAckCode(anonymous.connect())).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        assertThat(endpoint.requests()).hasSize(asked);
    }

    @Test
    void refusesAClientTheEndpointDeniesAndSendsItTheConnectionDetails() {
        Mqtt5AsyncClient client = mqtt5("CAM_9");

        assertThat(connAckCode(connect(client, "CAM_9", "wrong-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);

        JsonNode request = endpoint.requestsFor("CAM_9").get(0);
        assertThat(request.path("clientid").asString()).isEqualTo("CAM_9");
        assertThat(request.path("password").asString()).isEqualTo("wrong-password");
        assertThat(request.path("peerhost").asString()).isEqualTo("127.0.0.1");
        assertThat(request.path("proto_ver").asInt()).isEqualTo(5);
    }

    @Test
    void refusesAClientTheEndpointIgnores() {
        assertThat(connAckCode(connect(mqtt5("ignored"), "ignored", "secret")))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void refusesClientsAsServerUnavailableWhenTheEndpointCannotDecide() {
        assertThat(connAckCode(connect(mqtt5("broken"), "broken", "secret")))
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        assertThat(connAckCode(connect(mqtt5("garbled"), "garbled", "secret")))
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        // HiveMQ can only widen an allow rule with eq and wildcards: refused rather than let in with more rights
        assertThat(connAckCode(connect(mqtt5("wide-eq"), "wide-eq", "secret")))
                .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
    }

    @Test
    void refusesClientsAsServerUnavailableWhenTheEndpointIsDownOrRefusesTheApiKey() {
        try {
            stack.requireMqttAuthentication(
                    URI.create("http://127.0.0.1:" + Ports.freePort() + "/mqtt/auth"), StubAuthEndpoint.API_KEY);
            assertThat(connAckCode(connect(mqtt5("CAM_1"), "CAM_1", "secret")))
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);

            stack.requireMqttAuthentication(endpoint.url(), "not-the-key");
            assertThat(connAckCode(connect(mqtt5("CAM_1"), "CAM_1", "secret")))
                    .isEqualTo(Mqtt5ConnAckReasonCode.SERVER_UNAVAILABLE);
        } finally {
            stack.requireMqttAuthentication(endpoint.url(), StubAuthEndpoint.API_KEY);
        }
    }

    @Test
    void aDevicePublishesItsRequestAndSubscribesItsResponseAndNothingElse() throws Exception {
        List<String> seen = observeDevices();
        Mqtt5AsyncClient device = mqtt5("CAM_1");
        connect(device, "CAM_1", "secret").get(10, TimeUnit.SECONDS);
        List<String> responses = new CopyOnWriteArrayList<>();

        assertThat(subAckCode(device, "devices/CAM_1/upload/response", responses))
                .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subAckCode(device, "devices/CAM_2/upload/response", responses))
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subAckCode(device, "devices/#", responses)).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

        assertThat(pubAckCode(publish(device, "devices/CAM_1/upload/request", "mine")))
                .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("devices/CAM_1/upload/request mine"));
        Mqtt5AsyncClient observer = mqtt5("observer-" + UUID.randomUUID());
        connect(observer, "observer", "secret").get(10, TimeUnit.SECONDS);
        publish(observer, "devices/CAM_1/upload/response", "url").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.contains("devices/CAM_1/upload/response url"));

        // HiveMQ answers NOT_AUTHORIZED before routing, then disconnects the client
        assertThat(pubAckCode(publish(device, "devices/CAM_2/upload/request", "impostor")))
                .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
        Mqtt5AsyncClient again = mqtt5("CAM_1");
        connect(again, "CAM_1", "secret").get(10, TimeUnit.SECONDS);
        publish(again, "devices/CAM_1/upload/request", "after").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen.contains("devices/CAM_1/upload/request after"));
        assertThat(seen).noneMatch(message -> message.startsWith("devices/CAM_2"));
    }

    @Test
    void refusesAConnectWhoseWillTheAclDoesNotAllow() {
        Mqtt5AsyncClient device = mqtt5("CAM_1");

        CompletableFuture<?> connecting = device.connectWith()
                .simpleAuth()
                .username("CAM_1")
                .password("secret".getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .willPublish()
                .topic("devices/CAM_1/status")
                .payload("offline".getBytes(StandardCharsets.UTF_8))
                .applyWillPublish()
                .send();

        assertThat(connAckCode(connecting)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void theBridgeReceivesRequestsThroughItsSharedSubscriptionOnly() throws Exception {
        Mqtt5AsyncClient bridge = mqtt5("device-bridge-" + UUID.randomUUID());
        connect(bridge, "device-bridge", "secret").get(10, TimeUnit.SECONDS);
        List<String> requests = new CopyOnWriteArrayList<>();

        assertThat(subAckCode(bridge, "$share/device-bridge/devices/+/upload/request", requests))
                .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subAckCode(bridge, "$share/other-group/devices/+/upload/request", requests))
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        assertThat(subAckCode(bridge, "devices/+/upload/request", requests))
                .isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);

        Mqtt5AsyncClient device = mqtt5("CAM_1");
        connect(device, "CAM_1", "secret").get(10, TimeUnit.SECONDS);
        publish(device, "devices/CAM_1/upload/request", "hello").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> requests.contains("devices/CAM_1/upload/request hello"));
    }

    @Test
    void mqtt311ClientsAreAuthenticatedAndLimitedTheSameWay() throws Exception {
        Mqtt3AsyncClient refused = mqtt3("CAM_9");
        assertThatThrownBy(() -> connect(refused, "CAM_9", "wrong").get(10, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(Mqtt3ConnAckException.class, e -> assertThat(
                                e.getMqttMessage().getReturnCode())
                        .isEqualTo(Mqtt3ConnAckReturnCode.BAD_USER_NAME_OR_PASSWORD));
        assertThat(endpoint.requestsFor("CAM_9")
                        .get(endpoint.requestsFor("CAM_9").size() - 1)
                        .path("proto_ver")
                        .asInt())
                .isEqualTo(4);

        Mqtt3AsyncClient device = mqtt3("CAM_1");
        connect(device, "CAM_1", "secret").get(10, TimeUnit.SECONDS);
        List<String> responses = new CopyOnWriteArrayList<>();
        assertThat(subAckCode(device, "devices/CAM_1/upload/response", responses))
                .isEqualTo(Mqtt3SubAckReturnCode.SUCCESS_MAXIMUM_QOS_1);
        assertThat(subAckCode(device, "devices/CAM_2/upload/response", responses))
                .isEqualTo(Mqtt3SubAckReturnCode.FAILURE);

        Mqtt5AsyncClient observer = mqtt5("observer-" + UUID.randomUUID());
        connect(observer, "observer", "secret").get(10, TimeUnit.SECONDS);
        publish(observer, "devices/CAM_1/upload/response", "v3").get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> responses.contains("devices/CAM_1/upload/response v3"));
    }

    @Test
    void allowAnonymousMqttRestoresTheOpenBroker() throws Exception {
        int asked = endpoint.requests().size();
        try {
            stack.allowAnonymousMqtt();
            assertThat(stack.mqttAuthUrl()).isEmpty();
            Mqtt5AsyncClient anonymous = mqtt5("anonymous-" + UUID.randomUUID());
            anonymous.connect().get(10, TimeUnit.SECONDS);

            assertThat(subAckCode(anonymous, "devices/#", new ArrayList<>()))
                    .isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(pubAckCode(publish(anonymous, "devices/CAM_2/upload/request", "anyone")))
                    .isEqualTo(Mqtt5PubAckReasonCode.SUCCESS);
            assertThat(endpoint.requests()).hasSize(asked);
        } finally {
            stack.requireMqttAuthentication(endpoint.url(), StubAuthEndpoint.API_KEY);
        }
    }

    @Test
    void aRestartedBrokerKeepsRequiringAuthentication() throws Exception {
        Mqtt5AsyncClient before = mqtt5("CAM_1");
        connect(before, "CAM_1", "secret").get(10, TimeUnit.SECONDS);

        stack.stopMqtt();
        await().atMost(Duration.ofSeconds(10)).until(() -> !before.getState().isConnected());
        stack.startMqtt();

        assertThat(stack.mqttAuthUrl()).contains(endpoint.url());
        assertThat(connAckCode(mqtt5("anonymous-" + UUID.randomUUID()).connect()))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        Mqtt5AsyncClient after = mqtt5("CAM_1");
        connect(after, "CAM_1", "secret").get(10, TimeUnit.SECONDS);
        assertThat(subAckCode(after, "devices/#", new ArrayList<>())).isEqualTo(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void neverLogsThePassword() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(MqttAuthenticator.class);
        Level level = logger.getLevel();
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            connect(mqtt5("CAM_1"), "CAM_1", "password-of-cam-1").get(10, TimeUnit.SECONDS);
            connAckCode(connect(mqtt5("CAM_9"), "CAM_9", "password-of-cam-9"));
            connAckCode(connect(mqtt5("broken"), "broken", "password-of-broken"));

            assertThat(appender.list).hasSizeGreaterThanOrEqualTo(3);
            assertThat(appender.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .noneMatch(message -> message.contains("password-of"));
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(level);
        }
    }

    /** Every message on {@code devices/#}, as "topic payload", seen by a superuser. */
    private List<String> observeDevices() throws Exception {
        Mqtt5AsyncClient observer = mqtt5("observer-" + UUID.randomUUID());
        connect(observer, "observer", "secret").get(10, TimeUnit.SECONDS);
        List<String> seen = new CopyOnWriteArrayList<>();
        assertThat(subAckCode(observer, "devices/#", seen)).isEqualTo(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        return seen;
    }

    private Mqtt5AsyncClient mqtt5(String clientId) {
        Mqtt5AsyncClient client = builder(clientId).useMqttVersion5().buildAsync();
        disconnectAfterTest(client, client::disconnect);
        return client;
    }

    private Mqtt3AsyncClient mqtt3(String clientId) {
        Mqtt3AsyncClient client = builder(clientId).useMqttVersion3().buildAsync();
        disconnectAfterTest(client, client::disconnect);
        return client;
    }

    private static MqttClientBuilder builder(String clientId) {
        return MqttClient.builder()
                .identifier(clientId)
                .serverHost(stack.mqttHost())
                .serverPort(stack.mqttPort());
    }

    private void disconnectAfterTest(MqttClient client, Supplier<CompletableFuture<Void>> disconnect) {
        clients.add(() -> {
            if (client.getState().isConnected()) {
                disconnect.get().get(10, TimeUnit.SECONDS);
            }
        });
    }

    private static CompletableFuture<?> connect(Mqtt5AsyncClient client, String username, String password) {
        return client.connectWith()
                .simpleAuth()
                .username(username)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
    }

    private static CompletableFuture<?> connect(Mqtt3AsyncClient client, String username, String password) {
        return client.connectWith()
                .simpleAuth()
                .username(username)
                .password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth()
                .send();
    }

    private static Mqtt5ConnAckReasonCode connAckCode(CompletableFuture<?> connecting) {
        return ackCode(
                connecting,
                connAck -> Mqtt5ConnAckReasonCode.SUCCESS,
                Mqtt5ConnAckException.class,
                e -> e.getMqttMessage().getReasonCode());
    }

    private static CompletableFuture<Mqtt5PublishResult> publish(Mqtt5AsyncClient client, String topic, String text) {
        return client.publishWith()
                .topic(topic)
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static Mqtt5PubAckReasonCode pubAckCode(CompletableFuture<Mqtt5PublishResult> publishing) {
        return ackCode(
                publishing,
                result -> ((Mqtt5PublishResult.Mqtt5Qos1Result) result)
                        .getPubAck()
                        .getReasonCode(),
                Mqtt5PubAckException.class,
                e -> e.getMqttMessage().getReasonCode());
    }

    /** Subscribes with QoS 1; each message arrives in {@code into} as "topic payload". */
    private static Mqtt5SubAckReasonCode subAckCode(Mqtt5AsyncClient client, String filter, List<String> into) {
        return ackCode(
                client.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .callback(publish -> into.add(text(publish.getTopic(), publish.getPayload())))
                        .send(),
                subAck -> subAck.getReasonCodes().get(0),
                Mqtt5SubAckException.class,
                e -> e.getMqttMessage().getReasonCodes().get(0));
    }

    private static Mqtt3SubAckReturnCode subAckCode(Mqtt3AsyncClient client, String filter, List<String> into) {
        return ackCode(
                client.subscribeWith()
                        .topicFilter(filter)
                        .qos(MqttQos.AT_LEAST_ONCE)
                        .callback(publish -> into.add(text(publish.getTopic(), publish.getPayload())))
                        .send(),
                subAck -> subAck.getReturnCodes().get(0),
                Mqtt3SubAckException.class,
                e -> e.getMqttMessage().getReturnCodes().get(0));
    }

    private static String text(MqttTopic topic, Optional<ByteBuffer> payload) {
        return topic + " " + StandardCharsets.UTF_8.decode(payload.orElseThrow());
    }

    /**
     * The code of the broker's answer: the HiveMQ client completes the future with a successful one and fails it
     * with an exception carrying a refusal.
     */
    private static <A, E extends Throwable, C> C ackCode(
            CompletableFuture<A> sending, Function<A, C> fromAck, Class<E> refusal, Function<E, C> fromRefusal) {
        try {
            return fromAck.apply(sending.get(15, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(refusal);
            return fromRefusal.apply(refusal.cast(e.getCause()));
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }
}
